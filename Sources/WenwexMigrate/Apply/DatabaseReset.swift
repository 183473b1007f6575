public import WenwexConfig
public import WenwexSQL

/// Drops every table, type and sequence of a database for `migrate reset` and
/// `migrate dev --reset`; callers have already passed `TierGuard.authorizeDestructive`.
///
/// The identity stamp survives: it is read first and written back, so the emptied database
/// still belongs to its environment.
public enum DatabaseReset {
    public static func dropEverything(_ session: any SQLSession, url: DatabaseURL) async throws {
        let store = IdentityStampStore(session: session, url: url)
        let stamp = try await store.read()
        try await drop(session)
        if let stamp { try await store.write(stamp) }
    }

    private static func drop(_ session: any SQLSession) async throws {
        switch session.dialect {
        case .postgres:
            // The connection's schema (the URL's `?schema=`, else public), whatever it holds.
            let schema = try await session.queryText("SELECT current_schema()").first?.first ?? "public"
            let name = SQLDialect.postgres.quoteIdentifier(schema ?? "public")
            try await session.execute("DROP SCHEMA IF EXISTS \(unsafeRaw: name) CASCADE")
            try await session.execute("CREATE SCHEMA \(unsafeRaw: name)")
        case .sqlite:
            try await session.execute("PRAGMA foreign_keys = OFF")
            let objects = try await session.queryText(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'view')"
            )
            for object in objects {
                guard let type = object[0], let name = object[1] else { continue }
                try await session.execute(
                    "DROP \(unsafeRaw: type == "view" ? "VIEW" : "TABLE") IF EXISTS \(unsafeRaw: SQLDialect.sqlite.quoteIdentifier(name))"
                )
            }
            try await session.execute("PRAGMA foreign_keys = ON")
        }
    }
}
