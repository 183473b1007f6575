/// `[access]` in `wenwex.toml`: who may do what in which environment.
///
/// ```toml
/// [access.groups]
/// juniors = ["jo@example.com"]
/// seniors = ["sam@example.com"]
/// leads = ["cto@example.com", "ops@example.com"]
///
/// [access.environments.prod]
/// leads = ["admin"]
/// seniors = ["connect", "read"]
///
/// [access]
/// pgaudit = ["read", "write", "ddl", "role"]   # optional: statement logging of personal logins
/// ```
///
/// Without the section, ``guide`` applies with no members: the scalability guide's layout
/// (juniors reach dev, seniors staging and read-only production, leads everything), which a
/// team fills in.
public struct AccessPolicySettings: Sendable, Hashable {
    /// What a group may be granted in an environment; `admin` implies every other one.
    public static let permissions: Set = [
        "connect", "read", "write", "migrate", "backup", "restore", "clone", "reset", "admin",
    ]

    /// Group → member emails.
    public var groups: [String: [String]]
    /// Environment → group → permissions.
    public var environments: [String: [String: [String]]]
    /// Whether the project file declares the policy (`false` for ``guide``).
    public var isDeclared: Bool
    /// pgAudit's statement classes (`pgaudit.log`) logged for every personal login, so what a
    /// person ran on a database is in its server log; empty (the default) logs nothing.
    /// `access apply` sets it on the logins and `access grant` on new ones; the server must
    /// preload pgAudit (`shared_preload_libraries = 'pgaudit'`).
    public var statementLogging: [String]

    /// The classes `pgaudit.log` takes, each optionally negated with `-`.
    public static let statementClasses: Set = ["read", "write", "function", "role", "ddl", "misc", "misc_set", "all"]

    public init(
        groups: [String: [String]],
        environments: [String: [String: [String]]],
        isDeclared: Bool = true,
        statementLogging: [String] = []
    ) {
        self.groups = groups
        self.environments = environments
        self.isDeclared = isDeclared
        self.statementLogging = statementLogging
    }

    /// The guide's defaults, with empty groups.
    public static let guide = AccessPolicySettings(
        groups: ["juniors": [], "seniors": [], "leads": []],
        environments: [
            "dev": ["juniors": ["connect", "read", "write", "reset"], "seniors": ["admin"], "leads": ["admin"]],
            "staging": ["seniors": ["connect", "read", "write", "migrate", "backup", "clone"], "leads": ["admin"]],
            "prod": ["seniors": ["connect", "read"], "leads": ["admin"]],
        ],
        isDeclared: false
    )

    /// What `person` may do in `environment` (emails compare without case); `admin` expands to
    /// every permission.
    public func permissions(of person: String, in environment: String) -> Set<String> {
        let email = person.lowercased()
        var granted: Set<String> = []
        for (group, members) in groups where members.contains(where: { $0.lowercased() == email }) {
            granted.formUnion(environments[environment]?[group] ?? [])
        }
        return granted.contains("admin") ? Self.permissions : granted
    }
}
