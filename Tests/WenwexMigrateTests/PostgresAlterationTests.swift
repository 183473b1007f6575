import Foundation
import Testing
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

/// What only PostgreSQL can do in place: enum values added where they belong or removed by
/// re-creating the type, and type changes with `USING` casts, all with rows present.
@Suite("PostgreSQL alterations with rows", .enabled(if: PostgresAvailability.shouldRun))
struct PostgresAlterationTests {
    static func schema(roles: String, points: String = "String", idDefault: String = "@default(autoincrement())")
        -> String
    {
        """
        datasource db {
          provider = "postgresql"
          url      = env("DATABASE_URL")
        }

        enum Role {
          \(roles)
        }

        model User {
          id     Int    @id \(idDefault)
          role   Role   @default(BUYER)
          roles  Role[]
          points \(points)
        }
        """
    }

    @Test func enumValuesAreAddedInPlaceAndRemovedByRecreatingTheType() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "alter_enum") { session in
            let first = try MigrationTestDatabase.lower(Self.schema(roles: "BUYER\n  SELLER"), .postgres)
            try await MigrationScriptRunner.run(
                MigrationPlanner.script(from: SQLSchema(), to: first, dialect: .postgres).sql,
                on: session
            )
            try await session.execute(
                #"INSERT INTO "User" ("role", "roles", "points") VALUES ('BUYER', '{BUYER,SELLER}', '42')"#
            )

            let second = try MigrationTestDatabase.lower(Self.schema(roles: "BUYER\n  ADMIN\n  SELLER"), .postgres)
            let added = MigrationPlanner.script(from: first, to: second, dialect: .postgres)
            #expect(added.sql.contains(#"ALTER TYPE "Role" ADD VALUE 'ADMIN' BEFORE 'SELLER'"#))
            try await MigrationProperty.check(from: first, to: second, on: session)

            let third = try MigrationTestDatabase.lower(Self.schema(roles: "ADMIN\n  BUYER"), .postgres)
            try await session.execute(#"UPDATE "User" SET "roles" = '{BUYER}'"#)
            let recreated = MigrationPlanner.script(from: second, to: third, dialect: .postgres)
            #expect(recreated.sql.contains(#"ALTER TYPE "Role" RENAME TO "Role_old""#))
            try await MigrationProperty.check(from: second, to: third, on: session)
            #expect(
                try await session.queryText(#"SELECT "role"::text, "roles"::text FROM "User""#).first == [
                    "BUYER", "{BUYER}",
                ]
            )

            // Removing a value a row still holds fails, and the whole migration rolls back.
            let fourth = try MigrationTestDatabase.lower(
                Self.schema(roles: "ADMIN\n  BUYER2").replacingOccurrences(
                    of: "@default(BUYER)",
                    with: "@default(ADMIN)"
                ),
                .postgres
            )
            let error = await #expect(throws: MigrationStatementFailed.self) {
                try await MigrationScriptRunner.run(
                    MigrationPlanner.script(from: third, to: fourth, dialect: .postgres).sql,
                    on: session
                )
            }
            #expect(error?.reason.contains("invalid input value for enum") == true)
            #expect(try await MigrationTestDatabase.introspect(session).enums.first?.values == ["ADMIN", "BUYER"])
        }
    }

    @Test func typeChangesCastWithUsingAndAutoincrementComesAndGoes() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "alter_types") { session in
            let first = try MigrationTestDatabase.lower(Self.schema(roles: "BUYER", idDefault: ""), .postgres)
            try await MigrationScriptRunner.run(
                MigrationPlanner.script(from: SQLSchema(), to: first, dialect: .postgres).sql,
                on: session
            )
            try await session.execute(#"INSERT INTO "User" ("id", "points") VALUES (1, '42'), (2, '7')"#)

            let second = try MigrationTestDatabase.lower(Self.schema(roles: "BUYER", points: "Int"), .postgres)
            let script = MigrationPlanner.script(from: first, to: second, dialect: .postgres)
            #expect(script.sql.contains(#"SET DATA TYPE INTEGER USING ("points"::INTEGER)"#))
            #expect(script.sql.contains(#"CREATE SEQUENCE "User_id_seq""#))
            try await MigrationScriptRunner.run(script.sql, on: session)
            #expect(
                try await MigrationTestDatabase.introspect(session).columnsByName == second.databaseView.columnsByName
            )
            #expect(
                try await session.queryText(#"SELECT "points" FROM "User" ORDER BY "id""#).map { $0[0] } == ["42", "7"]
            )
            // The new sequence numbers rows after the existing ones once it is moved past them.
            try await session.execute(#"SELECT setval('"User_id_seq"', 2)"#)
            try await session.execute(#"INSERT INTO "User" ("points") VALUES (1)"#)
            #expect(try await session.queryText(#"SELECT MAX("id") FROM "User""#).first?.first == "3")

            let third = try MigrationTestDatabase.lower(
                Self.schema(roles: "BUYER", points: "BigInt", idDefault: ""),
                .postgres
            )
            try await MigrationProperty.check(from: second, to: third, on: session)
            #expect(
                try await session.queryText(#"SELECT COUNT(*) FROM pg_class WHERE relkind = 'S'"#).first?.first == "0"
            )
        }
    }

    @Test func aNewEnumValueCanBeTheDefaultInTheSameMigration() async throws {
        try await MigrationTestDatabase.with(.postgres, prefix: "alter_enum_default") { session in
            let first = try MigrationTestDatabase.lower(Self.schema(roles: "BUYER"), .postgres)
            try await MigrationScriptRunner.run(
                MigrationPlanner.script(from: SQLSchema(), to: first, dialect: .postgres).sql,
                on: session
            )
            try await session.execute(#"INSERT INTO "User" ("points") VALUES ('1')"#)
            let second = try MigrationTestDatabase.lower(
                Self.schema(roles: "BUYER\n  ADMIN").replacingOccurrences(
                    of: "@default(BUYER)",
                    with: "@default(ADMIN)"
                ),
                .postgres
            )
            let script = MigrationPlanner.script(from: first, to: second, dialect: .postgres)
            #expect(script.sql.contains(#"ADD VALUE 'ADMIN'"#) && script.sql.contains(#"SET DEFAULT 'ADMIN'"#))
            try await MigrationProperty.check(from: first, to: second, on: session)
        }
    }
}
