import Foundation
public import WenwexSQL

/// pgAudit's session logging for personal logins: the `pgaudit.log` setting Wenwex puts on
/// each person's login role, so every statement a person runs is written to the server's log
/// with their login's name (the audit log in `_wenwex_audit` records commands, not queries).
///
/// pgAudit works only when the server preloads it, which needs a restart; settings on a role
/// are read at login, so a person's open sessions keep what they started with.
public enum StatementLogging {
    /// `pgaudit.log = 'read, write'` for `classes`; `nil` when there are none.
    public static func setting(_ classes: [String]) -> String? {
        guard !classes.isEmpty else { return nil }
        return "pgaudit.log = '\(value(classes))'"
    }

    /// How PostgreSQL shows the setting in `pg_db_role_setting`: `pgaudit.log=read, write`.
    static func value(_ classes: [String]) -> String {
        classes.map { $0.lowercased() }.joined(separator: ", ")
    }

    /// Throws ``AccessError/pgAuditNotLoaded`` unless the server preloads pgAudit.
    public static func requirePreloaded(_ session: any SQLSession) async throws {
        let libraries = try await session.queryText("SELECT current_setting('shared_preload_libraries')")
        let loaded = (libraries.first?.first ?? nil)?.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        guard loaded?.contains("pgaudit") == true else { throw AccessError.pgAuditNotLoaded }
    }
}

/// What stops an access command before it changes anything.
public enum AccessError: Error, CustomStringConvertible {
    /// `[access] pgaudit` is set but the server does not load the extension.
    case pgAuditNotLoaded

    public var description: String {
        switch self {
        case .pgAuditNotLoaded:
            """
            [access] pgaudit asks for statement logging, but this PostgreSQL server does not load pgAudit; \
            nothing was changed. Install it (Debian: apt-get install postgresql-15-pgaudit), add \
            shared_preload_libraries = 'pgaudit' to postgresql.conf, restart the server, and apply again \
            (or remove pgaudit from [access])
            """
        }
    }
}
