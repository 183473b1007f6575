import Foundation
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

@testable import WenwexOps

/// A prod database full of recognisable personal data and a staging database, both on the
/// shared PostgreSQL server, each stamped for its own environment and migrated by the same
/// history. The schema has a self-reference, a two-table foreign-key cycle, a composite
/// foreign key and a short unique column whose fake values are bound to collide.
struct CloneFixture {
    static let prod = DatabaseOwner(project: "shop", environment: "prod", tier: .prod)
    static let staging = DatabaseOwner(project: "shop", environment: "staging", tier: .staging)
    static let secret = "clone-secret-for-tests-0123456789"
    static let users = 2_000

    let source: DatabaseURL
    let target: DatabaseURL

    static let migrations = [
        MigrationFile(
            name: "20260101000000_init",
            url: URL(fileURLWithPath: "/dev/null"),
            sql: schemaSQL,
            checksum: MigrationChecksum.of(schemaSQL)
        )
    ]

    static let schemaSQL = #"""
        CREATE TABLE "User" (
          id SERIAL PRIMARY KEY,
          email TEXT NOT NULL UNIQUE,
          name TEXT,
          phone VARCHAR(32),
          "passwordHash" TEXT NOT NULL,
          "lastIp" INET,
          bio TEXT,
          "birthDate" DATE,
          "referralCode" VARCHAR(4) NOT NULL UNIQUE,
          "createdAt" TIMESTAMPTZ NOT NULL,
          "invitedById" INTEGER REFERENCES "User"(id),
          "favoriteOrderId" INTEGER
        );
        CREATE TABLE "Order" (
          id SERIAL PRIMARY KEY,
          "userId" INTEGER NOT NULL REFERENCES "User"(id),
          "shippingAddress" TEXT,
          note TEXT,
          total NUMERIC(10, 2) NOT NULL
        );
        ALTER TABLE "User" ADD CONSTRAINT "User_favoriteOrderId_fkey" FOREIGN KEY ("favoriteOrderId") REFERENCES "Order"(id);
        CREATE TABLE "Product" (id SERIAL PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10, 2) NOT NULL);
        CREATE TABLE "OrderLine" (
          "orderId" INTEGER NOT NULL REFERENCES "Order"(id),
          line INTEGER NOT NULL,
          "productId" INTEGER NOT NULL REFERENCES "Product"(id),
          quantity INTEGER NOT NULL,
          PRIMARY KEY ("orderId", line)
        );
        CREATE TABLE "Refund" (
          id SERIAL PRIMARY KEY,
          "orderId" INTEGER NOT NULL,
          line INTEGER NOT NULL,
          reason TEXT,
          FOREIGN KEY ("orderId", line) REFERENCES "OrderLine"("orderId", line)
        );
        """#

    /// The rules a team would write for this schema.
    static let rules: [String: [String: SanitizeRule]] = [
        "User": [
            "email": .email, "name": .name, "phone": .phone, "passwordHash": .token, "lastIp": .ip, "bio": .text,
            "birthDate": .dateShift(days: 30), "referralCode": .token,
        ],
        "Order": ["shippingAddress": .address, "note": .text],
        "Product": ["name": .keep],
        "Refund": ["reason": .null],
    ]

    /// Fragments of the source's personal data: none may appear anywhere in the target.
    static let markers = [
        "real-mail.org", "Realname", "Surname", "+44 7700", "81.2.69.", "My private story", "Baker Lane", "pw$",
    ]

    static func make() async throws -> CloneFixture {
        let source = try DatabaseURL(try await SharedPostgres.freshDatabase(prefix: "clone_prod"))
        let target = try DatabaseURL(try await SharedPostgres.freshDatabase(prefix: "clone_staging"))
        try await DatabaseConnector.withSession(source) { session in
            try await IdentityStampStore(session: session, url: source).write(prod.newStamp())
            try await MigrationDeployer(session: session, files: migrations).deploy()
            try await session.execute(
                #"""
                INSERT INTO "User" (email, name, phone, "passwordHash", "lastIp", bio, "birthDate", "referralCode", "createdAt")
                SELECT 'user' || g || '@real-mail.org',
                       'Realname' || (g % 700) || ' Surname' || (g % 700),
                       '+44 7700 9' || lpad(g::text, 5, '0'),
                       'pw$' || md5(g::text),
                       ('81.2.69.' || (g % 250))::inet,
                       CASE WHEN g % 5 = 0 THEN NULL ELSE 'My private story number ' || g || repeat(' and more', g % 7) END,
                       date '1980-01-01' + g,
                       lpad(to_hex(g), 4, '0'),
                       timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute'
                FROM generate_series(1, \#(users)) g
                """#,
                []
            )
            try await session.execute(
                #"UPDATE "User" SET "invitedById" = id - 1 WHERE id > 1 AND id % 3 = 0"#,
                []
            )
            try await session.execute(
                #"""
                INSERT INTO "Order" ("userId", "shippingAddress", note, total)
                SELECT 1 + (g * 7) % \#(users), g || ' Baker Lane, London', 'My private story of order ' || g, g % 500 + 0.99
                FROM generate_series(1, \#(users * 2)) g
                """#,
                []
            )
            try await session.execute(#"UPDATE "User" SET "favoriteOrderId" = id WHERE id % 4 = 0"#, [])
            try await session.execute(
                #"INSERT INTO "Product" (name, price) SELECT 'Product ' || g, g FROM generate_series(1, 50) g"#,
                []
            )
            try await session.execute(
                #"""
                INSERT INTO "OrderLine" ("orderId", line, "productId", quantity)
                SELECT o, l, 1 + (o + l) % 50, l FROM generate_series(1, \#(users * 2)) o, generate_series(1, 2) l
                """#,
                []
            )
            try await session.execute(
                #"INSERT INTO "Refund" ("orderId", line, reason) SELECT g, 1, 'Realname complained' FROM generate_series(1, 100) g"#,
                []
            )
            try await session.execute("ANALYZE", [])
        }
        try await DatabaseConnector.withSession(target) { session in
            try await IdentityStampStore(session: session, url: target).write(staging.newStamp())
        }
        return CloneFixture(source: source, target: target)
    }

    func cloner(
        rules: [String: [String: SanitizeRule]] = CloneFixture.rules,
        sourceOwner: DatabaseOwner = CloneFixture.prod,
        targetOwner: DatabaseOwner = CloneFixture.staging
    ) -> DatabaseCloner {
        var cloner = DatabaseCloner(
            source: source,
            target: target,
            sourceOwner: sourceOwner,
            targetOwner: targetOwner,
            rules: rules,
            secret: Self.secret,
            migrations: Self.migrations
        )
        cloner.logger.logLevel = .warning
        return cloner
    }

    /// Every row of every table in `url`, as text in key order: what "identical" means.
    static func contents(_ url: DatabaseURL) async throws -> [String: [String]] {
        try await DatabaseConnector.withSession(url) { session in
            var tables: [String: [String]] = [:]
            for table in ["User", "Order", "Product", "OrderLine", "Refund"] {
                tables[table] = try await session.queryText(#"SELECT t::text FROM "\#(table)" t ORDER BY 1"#, [])
                    .map { $0[0] ?? "" }
            }
            return tables
        }
    }

    /// Rows of `child` whose foreign key points at no row, for every foreign key of the database.
    static func orphans(_ url: DatabaseURL) async throws -> [String: Int] {
        try await DatabaseConnector.withSession(url) { session in
            let keys = try await session.queryText(
                """
                SELECT conname, conrelid::regclass::text, confrelid::regclass::text,
                  (SELECT string_agg(quote_ident(attname), ',' ORDER BY k.i) FROM unnest(conkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute ON attrelid = conrelid AND attnum = k.n),
                  (SELECT string_agg(quote_ident(attname), ',' ORDER BY k.i) FROM unnest(confkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute ON attrelid = confrelid AND attnum = k.n)
                FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace
                """,
                []
            )
            var orphans: [String: Int] = [:]
            for key in keys {
                guard let name = key[0], let child = key[1], let parent = key[2], let from = key[3], let to = key[4]
                else { continue }
                let childColumns = from.split(separator: ",").map { "c." + $0 }
                let parentColumns = to.split(separator: ",").map { "p." + $0 }
                let matches = zip(childColumns, parentColumns).map { "\($0) = \($1)" }.joined(separator: " AND ")
                let notNull = childColumns.map { "\($0) IS NOT NULL" }.joined(separator: " AND ")
                let count =
                    try await session.queryText(
                        "SELECT count(*) FROM \(unsafeRaw: child) c WHERE \(unsafeRaw: notNull) AND NOT EXISTS (SELECT 1 FROM \(unsafeRaw: parent) p WHERE \(unsafeRaw: matches))"
                    ).first?.first ?? nil
                orphans[name] = Int(count ?? "") ?? -1
            }
            return orphans
        }
    }
}
