import Foundation
import WenwexConfig

/// Who is running a privileged command: `WENWEX_ACTOR`, else git's `user.email`.
///
/// The policy is checked against it, but it is a courtesy, not the boundary: the boundary is that
/// a person without a grant holds no credentials that work (`wenwex access grant`).
enum AccessActor {
    static func current(_ configuration: WenwexConfiguration) -> String? {
        if let actor = configuration.text("WENWEX_ACTOR") { return actor }
        let git = PipeReading.output(
            of: "/usr/bin/env",
            ["git", "config", "user.email"],
            in: configuration.projectDirectory
        )
        guard let git, git.status == 0, !git.text.isEmpty else { return nil }
        return git.text
    }

    /// The actor an audit entry names: the configured one, else the OS user.
    static func recorded(_ configuration: WenwexConfiguration) -> String {
        current(configuration) ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }

    /// Refuses unless the project's declared policy gives the actor `permission` in the
    /// environment; a project without an `[access]` section is not checked.
    static func require(_ permission: String, for command: String, _ configuration: WenwexConfiguration) throws {
        let policy = configuration.project.access
        guard policy.isDeclared else { return }
        let environment = configuration.environment.name
        guard let actor = current(configuration) else {
            throw CLIFailure(
                "\(command) needs to know who you are to check [access] in wenwex.toml",
                fix: "set WENWEX_ACTOR to your email, or git config user.email",
                code: .usage
            )
        }
        guard policy.permissions(of: actor, in: environment).contains(permission) else {
            throw CLIFailure(
                "\(actor) may not \(command) in '\(environment)': [access] in wenwex.toml does not grant '\(permission)' there",
                fix: "ask someone with admin on \(environment) to run it, or change the policy",
                code: .usage
            )
        }
    }
}
