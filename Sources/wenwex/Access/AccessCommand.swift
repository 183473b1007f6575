import ArgumentParser
import Foundation
import WenwexAccess
import WenwexConfig
import WenwexSQL

/// `wenwex access …`: the environment's least-privilege PostgreSQL roles.
struct AccessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Set up and check the environment's PostgreSQL roles and grants.",
        discussion: """
            Four group roles per project and environment: <project>_<env>_read (SELECT only), \
            _write and _app (reads and INSERT, UPDATE, DELETE; no TRUNCATE, no DDL), and \
            _migrator, which owns the schema and its objects and runs migrations. Nothing is \
            granted to PUBLIC, and default privileges cover tables the migrator creates later. \
            Run with the environment's admin credentials in DATABASE_URL; logins are made \
            members of the roles (GRANT <role> TO <user>). The logins grant makes are also members \
            of wenwex_logins: put "host all +wenwex_logins all scram-sha-256" above any trust \
            line in pg_hba.conf so their passwords and expiry are enforced. [access] pgaudit \
            logs their statements with pgAudit.
            """,
        subcommands: [
            AccessCheckCommand.self, AccessPlanCommand.self, AccessApplyCommand.self, AccessStatusCommand.self,
            AccessGrantCommand.self, AccessRevokeCommand.self, AccessSweepCommand.self,
        ]
    )
}

/// What every access command starts from.
struct AccessContext {
    var configuration: WenwexConfiguration
    var applier: AccessApplier

    static func load(_ project: ProjectOptions, output: Output) throws -> AccessContext {
        let configuration = try project.loadConfiguration(output: output)
        guard case .postgres(let location) = configuration.databases.primary.url.kind else {
            throw CLIFailure(
                "access control needs PostgreSQL; \(configuration.environment.name)'s database is SQLite",
                fix: "point DATABASE_URL at the environment's PostgreSQL database",
                code: .usage
            )
        }
        let roles = AccessRoles(project: configuration.project.projectName, environment: configuration.environment.name)
        return AccessContext(
            configuration: configuration,
            applier: AccessApplier(
                roles: roles,
                schema: location.schema,
                statementLogging: configuration.project.access.statementLogging
            )
        )
    }

    /// Personal logins as the policy wants them made (with its pgAudit statement logging).
    var personalCredentials: PersonalCredentials {
        PersonalCredentials(roles: applier.roles, statementLogging: applier.statementLogging)
    }

    /// What `apply` would change in the environment's database now.
    func plan() async throws -> AccessPlan {
        try await withAdmin { try await applier.plan($0) }
    }

    func withAdmin<T: Sendable>(_ body: (any SQLSession) async throws -> T) async throws -> T {
        do {
            return try await withGuardedPrimary(configuration, body)
        } catch let error as CLIFailure {
            throw error
        } catch let error as AccessError {
            throw CLIFailure(error.description, code: .usage)
        } catch {
            throw CLIFailure(DatabaseErrorText.describe(error), code: .problem)
        }
    }
}

struct AccessPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print what apply would change, with its SQL."
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let output = Output(json: false)
        let context = try AccessContext.load(project, output: output)
        let plan = try await context.plan()
        guard !plan.isEmpty else { return output.line("Nothing to change: the roles and grants match.") }
        for change in plan.changes { output.line("\(change.summary)\n    \(change.sql);") }
        output.line(
            "\(plan.changes.count) change\(plan.changes.count == 1 ? "" : "s"); run wenwex access apply to make them."
        )
    }
}

struct AccessApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create the roles and set the grants, in one transaction; a second run changes nothing."
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Confirm without asking (needed on prod without a terminal).")
    var yes = false

    func run() async throws {
        let output = Output(json: false)
        let context = try AccessContext.load(project, output: output)
        try AccessActor.require("admin", for: "wenwex access apply", context.configuration)
        if context.configuration.environment.tier == .prod {
            let question =
                "This changes the roles and grants of prod's database \(context.configuration.databases.primary.url.label)."
            guard TerminalConfirmation(assumeYes: yes).confirm(question) else {
                throw CLIFailure("not confirmed; nothing was changed", fix: "answer yes, or pass --yes", code: .usage)
            }
        }
        let applied = try await context.withAdmin { try await context.applier.apply($0) }
        try await context.audit(
            "access apply",
            target: context.configuration.environment.name,
            detail: "\(applied.changes.count) changes"
        )
        for change in applied.changes { output.line(change.summary) }
        output.line(applied.isEmpty ? "Nothing to change." : "Applied \(applied.changes.count) changes.")
    }
}

struct AccessStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Report roles and grants that differ from the layout; exit 1 when any do."
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let output = Output(json: false)
        let context = try AccessContext.load(project, output: output)
        let plan = try await context.plan()
        guard !plan.isEmpty else { return output.line("Roles and grants match the layout.") }
        for change in plan.changes { output.line("\(change.isDrift ? "drift" : "missing"): \(change.summary)") }
        throw CLIFailure.reported(.problem)
    }
}

struct AccessGrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Give a person a short-lived login, or a service its login, in one role; the password is shown once.",
        discussion: """
            --person makes a login that expires after --ttl and needs the policy's permission \
            for the person in this environment. --service makes a program's login that does not \
            expire (the server: --service server --role app; a deploy job: --role migrator); \
            running it again sets a new password.
            """
    )

    @OptionGroup var project: ProjectOptions

    @OptionGroup var login: LoginHolder

    @Option(help: "read, write, app or migrator.")
    var role: String

    @Option(help: "How long a person's login works (1h, 30m, 1d).")
    var ttl = "1h"

    func run() async throws {
        let output = Output(json: false)
        let context = try AccessContext.load(project, output: output)
        let roles = context.applier.roles
        let groups = ["read": roles.read, "write": roles.write, "app": roles.app, "migrator": roles.migrator]
        guard let group = groups[role] else {
            throw CLIFailure("--role '\(role)' is not one of read, write, app, migrator", code: .usage)
        }
        try AccessActor.require("admin", for: "wenwex access grant", context.configuration)
        if let service = login.service {
            let made = try await context.withAdmin {
                try await ServiceLogins(roles: roles).grant(service: service, role: group, on: $0)
            }
            try await context.audit("access grant", target: login.auditTarget, detail: role)
            output.line("Login for the \(service) service: \(made)")
            output.line("Password (shown once, not stored by Wenwex): \(made.password)")
            return
        }
        let person = login.person ?? ""
        guard let duration = DurationFormat.parse(ttl), duration >= .seconds(60), duration <= .seconds(7 * 86_400)
        else {
            throw CLIFailure(
                "--ttl '\(ttl)' must be a duration from 1m to 7d",
                fix: "write e.g. --ttl 1h",
                code: .usage
            )
        }
        let policy = context.configuration.project.access
        let needed = ["read": "read", "write": "write", "app": "write", "migrator": "migrate"][role] ?? "admin"
        let environment = context.configuration.environment.name
        if policy.isDeclared, !policy.permissions(of: person, in: environment).contains(needed) {
            throw CLIFailure(
                "[access] in wenwex.toml does not give \(person) '\(needed)' in '\(environment)', so no \(role) login is made",
                fix: "add the person to a group that has it there, or grant a role the policy allows",
                code: .usage
            )
        }
        let credential = try await context.withAdmin {
            try await context.personalCredentials.grant(person: person, role: group, ttl: duration, on: $0)
        }
        try await context.audit(
            "access grant",
            target: person,
            detail: "\(role) until \(credential.validUntil.formatted(.iso8601))"
        )
        output.line("Login for \(person): \(credential)")
        output.line("Password (shown once, not stored by Wenwex): \(credential.password)")
    }
}

/// Whose login `grant` and `revoke` are about: a person's or a program's, exactly one.
struct LoginHolder: ParsableArguments {
    @Option(help: "The person's email.")
    var person: String?

    @Option(help: "A program's name (server, deploy), instead of a person.")
    var service: String?

    func validate() throws {
        guard (person == nil) != (service == nil) else {
            throw ValidationError("give exactly one of --person EMAIL and --service NAME")
        }
    }

    /// How the audit log names it: the email, or `service NAME`.
    var auditTarget: String { service.map { "service \($0)" } ?? person ?? "" }
}

struct AccessRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "End a person's or a service's login now: its open sessions are terminated and the role dropped."
    )

    @OptionGroup var project: ProjectOptions

    @OptionGroup var login: LoginHolder

    func run() async throws {
        let output = Output(json: false)
        let context = try AccessContext.load(project, output: output)
        try AccessActor.require("admin", for: "wenwex access revoke", context.configuration)
        let roles = context.applier.roles
        let revoked = try await context.withAdmin { session in
            if let service = login.service {
                try await ServiceLogins(roles: roles).revoke(service: service, on: session)
            } else {
                try await PersonalCredentials(roles: roles).revoke(person: login.person ?? "", on: session)
            }
        }
        let who = login.service.map { "the \($0) service" } ?? login.person ?? ""
        try await context.audit("access revoke", target: login.auditTarget, outcome: revoked ? "ok" : "no login")
        output.line(
            revoked ? "Revoked \(who)'s login and ended its sessions." : "\(who) has no login here; nothing changed."
        )
    }
}

struct AccessSweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Revoke every personal login whose time ran out (run it from cron or a schedule)."
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let output = Output(json: false)
        let context = try AccessContext.load(project, output: output)
        let swept = try await context.withAdmin {
            try await PersonalCredentials(roles: context.applier.roles).sweep(on: $0)
        }
        if !swept.isEmpty {
            try await context.audit("access sweep", target: swept.joined(separator: ","), detail: "expired")
        }
        output.line(
            swept.isEmpty
                ? "No expired logins."
                : "Revoked \(swept.count) expired login\(swept.count == 1 ? "" : "s"): \(swept.joined(separator: ", "))"
        )
    }
}

struct AccessCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate [access] in wenwex.toml and print who may do what in each environment."
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let output = Output(json: false)
        // Problems in [access] are reported by the loader, each with its file and line.
        let configuration = try project.loadConfiguration(output: output)
        let policy = configuration.project.access
        if !policy.isDeclared {
            output.line(
                "No [access] in wenwex.toml: the guide's layout applies, with no members, and commands do not check the actor."
            )
        }
        if !policy.statementLogging.isEmpty {
            output.line(
                "pgAudit logs the statements of personal logins: \(policy.statementLogging.joined(separator: ", ")) (set by access apply and grant)."
            )
        }
        for environment in policy.environments.keys.sorted() {
            output.line("\(environment):")
            for (group, permissions) in (policy.environments[environment] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let members = policy.groups[group]?.count ?? 0
                output.line(
                    "  \(group) (\(members) member\(members == 1 ? "" : "s")): \(permissions.joined(separator: ", "))"
                )
            }
        }
    }
}
