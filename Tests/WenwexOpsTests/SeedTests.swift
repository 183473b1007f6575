import Foundation
import HummingbirdBcrypt
import Testing
import WenwexOps
import WenwexSQL
import WenwexSchema
import WenwexTestSupport

/// The seeder on the embedded SQLite default.
@Suite("Seeder on SQLite")
struct SeedTests {
    @Test func fillsEveryTableWithinTheSchemasRules() async throws {
        try await SeedScenarios.rowCountsAndConstraints(.sqlite)
    }

    @Test func theSameSeedGivesTheSameRows() async throws {
        try await SeedScenarios.deterministic(.sqlite)
    }

    @Test func seedingAgainAddsRowsWithoutUniqueCollisions() async throws {
        try await SeedScenarios.seedsTwiceIntoTheSameDatabase(.sqlite)
    }

    /// SQLite does not enforce `VARCHAR(n)`, so only the seeder keeps values inside it.
    @Test func respectsDeclaredLengthsThatSQLiteWouldNotEnforce() async throws {
        let table = SQLTable(
            name: "accounts",
            columns: [
                SQLColumn(name: "id", type: SQLColumnType("INTEGER", family: .int), isAutoIncrement: true),
                SQLColumn(name: "email", type: SQLColumnType("VARCHAR(12)", family: .string)),
                SQLColumn(name: "name", type: SQLColumnType("VARCHAR(5)", family: .string)),
                SQLColumn(name: "code", type: SQLColumnType("CHAR(3)", family: .string)),
            ],
            primaryKey: SQLPrimaryKey(name: nil, columns: ["id"]),
            uniques: [SQLUnique(name: "accounts_email_key", columns: ["email"])]
        )
        let seeder = Seeder(sqlSchema: SQLSchema(tables: [table]), dialect: .sqlite)
        try await SeedDatabase.with(.sqlite, schema: seeder.schema) { session in
            let report = try await seeder.seed(session, count: 200, seed: 3)
            #expect(report.rows(in: "accounts") == 200)
            let longest = try await session.queryText(
                #"SELECT MAX(LENGTH("email")), MAX(LENGTH("name")), MAX(LENGTH("code")), COUNT(DISTINCT "email") FROM "accounts""#
            )
            #expect(longest.first == ["12", "5", "3", "200"])
        }
    }

    /// Seeded accounts sign in with the printed dev password, and nothing is updated before it
    /// was created.
    @Test func passwordsVerifyAndUpdatedAtNeverPrecedesCreatedAt() async throws {
        let table = SQLTable(
            name: "users",
            columns: [
                SQLColumn(name: "id", type: SQLColumnType("INTEGER", family: .int), isAutoIncrement: true),
                SQLColumn(name: "password_hash", type: SQLColumnType("TEXT", family: .string)),
                SQLColumn(name: "createdAt", type: SQLColumnType("DATETIME", family: .dateTime)),
                SQLColumn(name: "updatedAt", type: SQLColumnType("DATETIME", family: .dateTime)),
            ],
            primaryKey: SQLPrimaryKey(name: nil, columns: ["id"])
        )
        let seeder = Seeder(sqlSchema: SQLSchema(tables: [table]), dialect: .sqlite)
        #expect(seeder.seedsPasswords)
        try await SeedDatabase.with(.sqlite, schema: seeder.schema) { session in
            _ = try await seeder.seed(session, count: 300, seed: 5)
            let rows = try await session.queryText(
                #"SELECT "password_hash", "createdAt", "updatedAt" FROM "users""#
            )
            #expect(rows.count == 300)
            let hashes = Set(rows.compactMap { $0[0] })
            #expect(hashes.count == 1)
            #expect(Bcrypt.verify(Seeder.devPassword, hash: hashes.first ?? ""))
            let backwards = rows.filter { ($0[2] ?? "") < ($0[1] ?? "") }
            #expect(backwards.isEmpty, "\(backwards.prefix(3))")
        }
    }

    /// Required foreign keys in a cycle cannot be satisfied; the seeder says so and writes nothing.
    @Test func refusesACycleOfRequiredForeignKeys() async throws {
        func table(_ name: String, pointingAt other: String) -> SQLTable {
            SQLTable(
                name: name,
                columns: [
                    SQLColumn(name: "id", type: SQLColumnType("INTEGER", family: .int), isAutoIncrement: true),
                    SQLColumn(name: "otherId", type: SQLColumnType("INTEGER", family: .int)),
                ],
                primaryKey: SQLPrimaryKey(name: nil, columns: ["id"]),
                foreignKeys: [
                    SQLForeignKey(
                        name: "\(name)_otherId_fkey",
                        columns: ["otherId"],
                        referencedTable: other,
                        referencedColumns: ["id"],
                        onDelete: .restrict,
                        onUpdate: .cascade
                    )
                ]
            )
        }
        let seeder = Seeder(
            sqlSchema: SQLSchema(tables: [table("a", pointingAt: "b"), table("b", pointingAt: "a")]),
            dialect: .sqlite
        )
        try await SeedDatabase.with(.sqlite, schema: seeder.schema) { session in
            await #expect(throws: SeedError.requiredCycle(["a", "b"])) {
                _ = try await seeder.seed(session, count: 5, seed: 1)
            }
            let rows = try await seeder.existingRows(session)
            #expect(rows == 0)
        }
    }
}

/// The seeder on a real PostgreSQL server (enums, `@db.*` types, arrays, casts).
@Suite("Seeder on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct PostgresSeedTests {
    @Test func fillsEveryTableWithinTheSchemasRules() async throws {
        try await SeedScenarios.rowCountsAndConstraints(.postgres)
    }

    @Test func theSameSeedGivesTheSameRows() async throws {
        try await SeedScenarios.deterministic(.postgres)
    }

    @Test func seedingAgainAddsRowsWithoutUniqueCollisions() async throws {
        try await SeedScenarios.seedsTwiceIntoTheSameDatabase(.postgres)
    }
}
