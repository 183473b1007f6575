import Foundation
import Testing
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

/// Applying the rendered migration to a database at A, with rows in it, yields a database
/// whose introspection equals B, and every row of a column that still exists keeps its value.
enum MigrationProperty {
    static func check(from old: SQLSchema, to new: SQLSchema, on session: any SQLSession) async throws {
        let dialect = session.dialect
        let script = MigrationPlanner.script(from: old, to: new, dialect: dialect)
        let before = try await RowSnapshot.read(old, on: session)
        try await MigrationScriptRunner.run(script.sql, on: session)
        let introspected = try await MigrationTestDatabase.introspect(session)
        let expected = MigrationTestDatabase.expectedIntrospection(of: new, dialect)
        // Columns added to an existing table come last in the database, as with Prisma, so
        // the comparison is by column name.
        let equal = introspected.columnsByName == expected.columnsByName
        #expect(
            equal,
            """
            differences: \(SchemaDiffer.changes(from: introspected, to: expected).map(\.description))
            tables that differ: \(introspected.columnsByName.tables.filter { expected.columnsByName.table($0.name, schema: $0.schema) != $0 })
            after running:
            \(script.sql)
            """
        )
        let after = try await RowSnapshot.read(new, on: session)
        let keptBefore = RowSnapshot.keptValues(before, old: old, new: new)
        let keptAfter = RowSnapshot.keptValues(after, old: old, new: new)
        #expect(keptBefore == keptAfter, "rows changed by:\n\(script.sql)")
        #expect(old.tables.isEmpty || keptBefore.values.contains { !$0.isEmpty }, "the check needs rows to keep")
        // Nothing left to do: the database now matches B exactly.
        let again = MigrationPlanner.script(from: introspected, to: new, dialect: dialect)
        #expect(again.isEmpty, "a second diff is not empty:\n\(again.sql)")
    }
}

@Suite("The marketplace schema's evolution, applied with rows in the database")
struct EvolutionTests {
    static let dialects: [SQLDialect] = PostgresAvailability.shouldRun ? [.sqlite, .postgres] : [.sqlite]

    @Test(arguments: dialects)
    func everyVersionMigratesFromThePreviousOneKeepingRows(dialect: SQLDialect) async throws {
        try await MigrationTestDatabase.with(dialect, prefix: "evolution") { session in
            var current = SQLSchema()
            for version in MarketplaceEvolution.versions {
                let next = try MigrationTestDatabase.lower(version.schema, dialect)
                try await MigrationProperty.check(from: current, to: next, on: session)
                current = next
                try await RowSnapshot.fill(current, on: session)
            }
        }
    }
}

extension SQLSchema {
    /// The same schema with every table's columns sorted by name.
    var columnsByName: SQLSchema {
        var copy = self
        copy.tables = tables.map { table in
            var table = table
            table.columns.sort { $0.name < $1.name }
            return table
        }
        return copy
    }
}
