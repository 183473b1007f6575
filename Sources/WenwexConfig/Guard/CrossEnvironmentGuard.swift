import Foundation

/// Decides whether a process may use a database, from the database's identity stamp.
///
/// The guide's rule "crash if prod is pointed at the dev database" as a pure function: the
/// caller reads the stamp (see `WenwexSQL`) and must stop before its first write when the
/// verdict is `refused`.
public enum CrossEnvironmentGuard {
    /// The guard's answer for one database.
    public enum Verdict: Sendable, Hashable {
        /// Stamped for this project and environment.
        case owned(IdentityStamp)
        /// No stamp, in a tier that allows it; the warning says how to claim the database.
        case unstamped(warning: ConfigurationProblem)
        /// Stamped for another project or environment, or unstamped on prod: stop before any write and show
        /// the problem.
        case refused(ConfigurationProblem)

        /// Whether the caller must stop.
        public var isRefused: Bool {
            if case .refused = self { true } else { false }
        }
    }

    /// Judges `stamp`, read from the database `label` (a masked URL or variable name).
    ///
    /// `noun` and `stampCommand` name what is guarded (a database, a bucket) and how to claim
    /// it, so the same rules read right for every kind of store.
    public static func verify(
        stamp: IdentityStamp?,
        owner: DatabaseOwner,
        database label: String,
        noun: String = "database",
        stampCommand: String = "wenwex db stamp"
    ) -> Verdict {
        guard let stamp else {
            let problem = ConfigurationProblem(
                severity: owner.tier == .prod ? .error : .warning,
                subject: label,
                location: nil,
                message: owner.tier == .prod
                    ? "has no Wenwex identity stamp; a prod process refuses an unstamped \(noun), because it cannot tell it is prod's"
                    : "has no Wenwex identity stamp yet",
                hint: "claim it for '\(owner.environment)' with `WENWEX_ENV=\(owner.environment) \(stampCommand)`"
                    + (owner.tier == .prod ? " (asks for confirmation on prod)" : "")
            )
            return owner.tier == .prod ? .refused(problem) : .unstamped(warning: problem)
        }
        if stamp.project != owner.project {
            return .refused(
                ConfigurationProblem(
                    subject: label,
                    location: nil,
                    message:
                        "belongs to project '\(stamp.project)' (environment '\(stamp.environment)'), but this is project '\(owner.project)' running as '\(owner.environment)'; refusing before any write",
                    hint: "point the configuration at \(owner.project)'s own \(owner.environment) \(noun)"
                )
            )
        }
        if stamp.environment != owner.environment || stamp.tier != owner.tier {
            return .refused(
                ConfigurationProblem(
                    subject: label,
                    location: nil,
                    message:
                        "is the '\(stamp.environment)' (\(stamp.tier.rawValue)) \(noun), but this process runs as '\(owner.environment)' (\(owner.tier.rawValue)); refusing before any write",
                    hint:
                        "point the configuration at the \(owner.environment) \(noun), or run with WENWEX_ENV=\(stamp.environment)"
                )
            )
        }
        return .owned(stamp)
    }

    /// What stamping a database for `owner` would do.
    public enum StampPlan: Sendable, Hashable {
        /// Already stamped for this owner: nothing to write.
        case alreadyOwned(IdentityStamp)
        /// Unstamped: write `stamp`.
        case claim(IdentityStamp)
    }

    /// Plans `wenwex db stamp`: claiming an unstamped database is allowed (on prod only once
    /// confirmed); re-stamping another environment's database is always refused.
    public static func planStamp(
        existing: IdentityStamp?,
        owner: DatabaseOwner,
        database label: String,
        confirmed: Bool
    ) throws(ConfigurationError) -> StampPlan {
        guard let existing else {
            if owner.tier == .prod, !confirmed {
                throw ConfigurationError([
                    ConfigurationProblem(
                        subject: label,
                        location: nil,
                        message: "claiming an unstamped database for prod needs explicit confirmation",
                        hint: "check that this is prod's database, then answer the prompt or pass --yes"
                    )
                ])
            }
            return .claim(owner.newStamp())
        }
        switch verify(stamp: existing, owner: owner, database: label) {
        case .owned(let stamp):
            return .alreadyOwned(stamp)
        case .refused(let problem):
            throw ConfigurationError([
                ConfigurationProblem(
                    subject: problem.subject,
                    location: nil,
                    message: problem.message.replacingOccurrences(
                        of: "refusing before any write",
                        with: "refusing to re-stamp it"
                    ),
                    hint: "a stamped database keeps its environment; use \(owner.environment)'s own database"
                )
            ])
        case .unstamped:
            return .claim(owner.newStamp())
        }
    }
}
