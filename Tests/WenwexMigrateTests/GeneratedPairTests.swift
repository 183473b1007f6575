import Foundation
import Testing
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

@Suite("Generated schema pairs: A → B on a database with rows")
struct GeneratedPairTests {
    static let seeds: [UInt64] = Array(1...40)

    @Test(arguments: seeds)
    func sqlite(seed: UInt64) async throws {
        try await Self.check(.sqlite, seed: seed)
    }

    @Test(.enabled(if: PostgresAvailability.shouldRun), arguments: seeds)
    func postgres(seed: UInt64) async throws {
        try await Self.check(.postgres, seed: seed)
    }

    static func check(_ dialect: SQLDialect, seed: UInt64) async throws {
        var generator = SchemaGenerator(dialect: dialect, seed: seed)
        let old = generator.schema()
        let new = generator.edit(old)
        try await MigrationTestDatabase.with(dialect, prefix: "generated_\(seed)") { session in
            try await MigrationScriptRunner.run(
                MigrationPlanner.script(from: SQLSchema(), to: old, dialect: dialect).sql,
                on: session
            )
            try await RowSnapshot.fill(old, on: session)
            try await MigrationProperty.check(from: old, to: new, on: session)
        }
    }
}
