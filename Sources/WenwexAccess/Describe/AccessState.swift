/// What a database grants today to the environment's roles and to `PUBLIC`, read from the
/// catalogs (`pg_roles`, the `relacl` / `nspacl` / `datacl` lists, `pg_default_acl`).
///
/// Privileges are kept as "object → grantee → privileges", with the grantee `PUBLIC` for the
/// pseudo-role every user belongs to.
public struct AccessState: Sendable, Hashable {
    public struct Role: Sendable, Hashable {
        public var name: String
        public var canLogin: Bool
    }

    /// The environment's roles that exist.
    public var roles: [String: Role] = [:]
    /// The database (for `CONNECT`).
    public var database: String = ""
    public var databasePrivileges: [String: Set<String>] = [:]
    public var schema: String = "public"
    public var schemaOwner: String = ""
    public var schemaPrivileges: [String: Set<String>] = [:]
    /// Table (or view) name → its owner.
    public var tableOwners: [String: String] = [:]
    public var tablePrivileges: [String: [String: Set<String>]] = [:]
    public var sequenceOwners: [String: String] = [:]
    public var sequencePrivileges: [String: [String: Set<String>]] = [:]
    /// Default privileges for objects the migrator creates in the schema: `r` tables,
    /// `S` sequences → grantee → privileges.
    public var defaultPrivileges: [String: [String: Set<String>]] = [:]
    /// This environment's personal logins → their `pgaudit.log` role setting (`nil`: none).
    public var personalLogins: [String: String?] = [:]
}
