import Foundation
import Testing
import WenwexConfig
import WenwexSQL
import WenwexTestSupport

@testable import WenwexOps

/// Sanitized clones from a prod database into a staging one on real PostgreSQL.
@Suite("Sanitized clones on PostgreSQL", .enabled(if: PostgresAvailability.shouldRun))
struct DatabaseClonerTests {
    @Test func aCloneLeavesNoPersonalDataKeepsEveryKeyAndIsTheSameTwice() async throws {
        let fixture = try await CloneFixture.make()
        let report = try await fixture.cloner().run()
        #expect(report.tables.map(\.name).sorted() == ["Order", "OrderLine", "Product", "Refund", "User"])
        #expect(report.totalRows == CloneFixture.users * 7 + 50 + 100)

        // No personal value of the source, whole or in part, is anywhere in the target.
        let target = try await CloneFixture.contents(fixture.target)
        let everything = target.values.flatMap { $0 }
        for marker in CloneFixture.markers {
            let leaks = everything.filter { $0.contains(marker) }
            #expect(leaks.isEmpty, "'\(marker)' leaked: \(leaks.prefix(3))")
        }
        let sourceValues = try await DatabaseConnector.withSession(fixture.source) { session in
            try await session.queryText(
                #"SELECT email, name, phone, "passwordHash", "lastIp"::text, bio, "referralCode" FROM "User""#,
                []
            ).flatMap { $0.compactMap { $0 } }
        }
        let targetCells = try await DatabaseConnector.withSession(fixture.target) { session in
            Set(
                try await session.queryText(
                    #"SELECT email, name, phone, "passwordHash", "lastIp"::text, bio, "referralCode" FROM "User""#,
                    []
                ).flatMap { $0.compactMap { $0 } }
            )
        }
        // Four-character referral codes can meet a source code by chance; every other value cannot.
        let kept = sourceValues.filter { $0.count > 4 && targetCells.contains($0) }
        #expect(kept.isEmpty, "source values copied as they were: \(kept.prefix(5))")

        // Keys, joins and constraints hold.
        let orphans = try await CloneFixture.orphans(fixture.target)
        #expect(orphans.count == 6, "\(orphans)")
        #expect(orphans.values.allSatisfy { $0 == 0 }, "\(orphans)")
        try await DatabaseConnector.withSession(fixture.target) { session in
            let duplicates = try await session.queryText(
                #"SELECT (SELECT count(*) - count(DISTINCT email) FROM "User")::text, (SELECT count(*) - count(DISTINCT "referralCode") FROM "User")::text"#,
                []
            )
            #expect(duplicates.first == ["0", "0"])
            let shapes = try await session.queryText(
                #"""
                SELECT count(*) FILTER (WHERE email NOT LIKE '%@example.com')::text,
                       count(*) FILTER (WHERE length("referralCode") <> 4)::text,
                       count(*) FILTER (WHERE bio IS NULL)::text,
                       count(*) FILTER (WHERE "lastIp" IS NULL)::text
                FROM "User"
                """#,
                []
            )
            #expect(shapes.first == ["0", "0", "\(CloneFixture.users / 5)", "0"], "NULL stays NULL, formats hold")
            // Sequences moved past the copied keys: new rows insert.
            try await session.execute(
                #"INSERT INTO "User" (email, "passwordHash", "referralCode", "createdAt") VALUES ('new@example.com', 'x', 'zzzz', now())"#,
                []
            )
            let refunds = try await session.queryText(
                #"SELECT count(*) FILTER (WHERE reason IS NOT NULL)::text FROM "Refund""#,
                []
            )
            #expect(refunds.first == ["0"], "the null rule")
        }

        // The same source value gets the same fake value: repeated names stay repeated.
        let sourceNames = try await Self.column(fixture.source, "name")
        let targetNames = try await Self.column(fixture.target, "name")
        var mapping: [String: Set<String>] = [:]
        for (id, name) in sourceNames { mapping[name, default: []].insert(targetNames[id] ?? "?") }
        #expect(mapping.count == 700)
        #expect(mapping.values.allSatisfy { $0.count == 1 }, "one fake name per real name")
        let products = try await CloneFixture.contents(fixture.source)["Product"]
        #expect(target["Product"] == products, "keep copies as it is")

        // Cloning again gives the identical target; the target keeps its own stamp.
        try await fixture.cloner().run()
        #expect(try await CloneFixture.contents(fixture.target) == target)
        let stamp = try await DatabaseConnector.withSession(fixture.target) {
            try await IdentityStampStore(session: $0, url: fixture.target).read()
        }
        #expect(stamp?.environment == "staging")
    }

    @Test func refusalsChangeNothing() async throws {
        let fixture = try await CloneFixture.make()
        // A prod target, whatever its stamp.
        await #expect(throws: CloneError.self) {
            try await fixture.cloner(targetOwner: DatabaseOwner(project: "shop", environment: "live", tier: .prod))
                .run()
        }
        // A personal-data column without a rule: every such column is named at once.
        var rules = CloneFixture.rules
        rules["User"]?["bio"] = nil
        rules["Order"]?["note"] = nil
        do {
            try await fixture.cloner(rules: rules).run()
            Issue.record("a clone with unsanitized columns ran")
        } catch CloneError.unsanitizedPersonalData(let columns) {
            #expect(columns.contains { $0.hasPrefix("User.bio") } && columns.contains { $0.hasPrefix("Order.note") })
        }
        // Wrong stamps: the source must be prod's, the target staging's.
        await #expect(throws: CloneError.self) {
            try await fixture.cloner(sourceOwner: DatabaseOwner(project: "shop", environment: "qa", tier: .prod)).run()
        }
        await #expect(throws: CloneError.self) {
            try await fixture.cloner(targetOwner: DatabaseOwner(project: "shop", environment: "qa", tier: .staging))
                .run()
        }
        // A rule naming a column the source lacks.
        await #expect(throws: CloneError.self) {
            try await fixture.cloner(rules: ["User": ["emial": .email]]).run()
        }
        let tables = try await DatabaseConnector.withSession(fixture.target) { session in
            try await session.queryText(
                "SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_wenwex_identity'",
                []
            )
        }
        #expect(tables.first == ["0"], "the target was not even migrated")
    }

    @Test func aCloneThatFailsHalfwayLeavesTheTargetAsItWas() async throws {
        let fixture = try await CloneFixture.make()
        try await fixture.cloner().run()
        let before = try await CloneFixture.contents(fixture.target)
        var rules = CloneFixture.rules
        // Fails on the source for one row of the last table, after the others were loaded.
        rules["Refund"]?["reason"] = .sql("(1 / (id - 50))::text")
        await #expect(throws: (any Error).self) { try await fixture.cloner(rules: rules).run() }
        #expect(try await CloneFixture.contents(fixture.target) == before)
    }

    @Test func theDryRunPlanNamesEveryColumnsRule() async throws {
        let fixture = try await CloneFixture.make()
        let plan = try await fixture.cloner().plan()
        let user = try #require(plan.tables.first { $0.name == "User" })
        #expect(user.estimatedRows == CloneFixture.users)
        #expect(user.columns.first { $0.name == "email" }?.rule == .email)
        #expect(user.columns.first { $0.name == "createdAt" }?.rule == .keep)
        #expect(user.columns.first { $0.name == "referralCode" }?.isUnique == true)
        #expect(user.columns.first { $0.name == "phone" }?.maxLength == 32)
        #expect(plan.unsanitized.isEmpty)
    }

    @Test func aSubsetIsClosedUnderItsForeignKeysThroughCyclesAndSelfReferences() async throws {
        let fixture = try await CloneFixture.make()
        var cloner = fixture.cloner()
        cloner.subset = [try SubsetRule(parsing: "User:10%")]
        try await cloner.run()
        let orphans = try await CloneFixture.orphans(fixture.target)
        #expect(orphans.count == 6 && orphans.values.allSatisfy { $0 == 0 }, "\(orphans)")
        let started = try await DatabaseConnector.withSession(fixture.source) { session in
            try await session.queryText(
                #"SELECT id::text FROM "User" WHERE abs(hashtextextended(ROW(id)::text, 0) % 1000000) < 100000"#,
                []
            ).compactMap { $0[0] }
        }
        #expect(started.count > 100 && started.count < 300, "about a tenth: \(started.count)")
        let counts = try await DatabaseConnector.withSession(fixture.target) { session in
            let ids = "{" + started.joined(separator: ",") + "}"
            return try await session.queryText(
                #"""
                SELECT (SELECT count(*) FROM "User" WHERE id = ANY($1::int[]))::text,
                       (SELECT count(*) FROM "User")::text,
                       (SELECT count(*) FROM "Order" WHERE "userId" = ANY($1::int[]))::text,
                       (SELECT count(*) FROM "OrderLine" l JOIN "Order" o ON o.id = l."orderId" WHERE o."userId" = ANY($1::int[]))::text,
                       (SELECT count(*) FROM "Product")::text
                """#,
                [.text(ids)]
            ).first ?? []
        }
        let sourceOrders = try await DatabaseConnector.withSession(fixture.source) { session in
            try await session.queryText(
                #"SELECT count(*)::text FROM "Order" WHERE "userId" = ANY($1::int[])"#,
                [.text("{" + started.joined(separator: ",") + "}")]
            ).first?.first ?? nil
        }
        #expect(counts[0] == "\(started.count)", "every start row")
        let users = Int(counts[1] ?? "") ?? 0
        #expect(users > started.count && users < CloneFixture.users / 2, "parents came along, not everyone: \(users)")
        #expect(counts[2] == sourceOrders, "the sampled users' orders (children) came along")
        #expect(counts[3] == String((Int(sourceOrders ?? "") ?? -1) * 2), "and their lines")
        #expect((Int(counts[4] ?? "") ?? 0) > 0, "the products those lines need")

        // A condition, on another table; the same subset twice is the same data.
        cloner.subset = [try SubsetRule(parsing: "Order:total > 450")]
        try await cloner.run()
        let first = try await CloneFixture.contents(fixture.target)
        try await cloner.run()
        #expect(try await CloneFixture.contents(fixture.target) == first)
        #expect(try await CloneFixture.orphans(fixture.target).values.allSatisfy { $0 == 0 })
        #expect(first["Order"]?.count ?? 0 >= CloneFixture.users * 2 * 49 / 500)

        await #expect(throws: CloneError.self) {
            var bad = fixture.cloner()
            bad.subset = [try SubsetRule(parsing: "Nope:10%")]
            try await bad.run()
        }
        #expect(throws: CloneError.self) { try SubsetRule(parsing: "User:0%") }
        #expect(throws: CloneError.self) { try SubsetRule(parsing: "User") }
    }

    static func column(_ url: DatabaseURL, _ name: String) async throws -> [String: String] {
        try await DatabaseConnector.withSession(url) { session in
            var values: [String: String] = [:]
            for row in try await session.queryText(#"SELECT id::text, "\#(name)" FROM "User""#, []) {
                if let id = row[0], let value = row[1] { values[id] = value }
            }
            return values
        }
    }
}
