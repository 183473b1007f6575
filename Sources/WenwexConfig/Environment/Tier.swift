import Foundation

/// The three isolation levels every Wenwex environment belongs to.
///
/// A project may name as many environments as it likes (`preview`, `eu-prod`, …), but each one
/// runs at exactly one tier, and every safety rule is phrased in tiers: destructive commands
/// refuse `prod`, `prod` refuses an unstamped database, and so on. Code never branches on the
/// environment's name, only on its tier.
public enum Tier: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Developers' machines: an unset database URL falls back to a SQLite file, an unstamped database is
    /// only a warning, and destructive commands run once confirmed.
    case dev
    /// Pre-production: the database URL must be set, an unstamped database is only a warning, and
    /// destructive commands run once confirmed.
    case staging
    /// Production: destructive commands are refused, an unstamped database is refused, and claiming one
    /// needs explicit confirmation.
    case prod

    /// Reads a tier from the spellings teams already use (`development`, `production`, `stage`, …).
    ///
    /// Matching ignores case and surrounding whitespace; anything else returns `nil` so the caller
    /// can report the unknown name together with the accepted ones.
    public init?(alias: String) {
        switch alias.trimmingCharacters(in: .whitespaces).lowercased() {
        case "dev", "development", "develop", "local": self = .dev
        case "staging", "stage", "stg", "preprod", "pre-production": self = .staging
        case "prod", "production", "prd", "live": self = .prod
        default: return nil
        }
    }

    /// Every accepted spelling, for error messages.
    public static let acceptedAliases =
        "dev (development, local), staging (stage, stg), prod (production, live)"

    /// Orders tiers by how much protection they get: `dev` < `staging` < `prod`.
    public static func < (lhs: Tier, rhs: Tier) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .dev: 0
        case .staging: 1
        case .prod: 2
        }
    }
}
