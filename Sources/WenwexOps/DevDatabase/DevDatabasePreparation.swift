public import Foundation
public import WenwexConfig
public import WenwexMigrate
public import WenwexSQL
public import WenwexSchema

/// `wenwex up`'s database steps as a library: make the dev database exist, stamp it for dev,
/// apply the pending migrations, and seed fake rows when it is empty, so a team's own
/// `up`-like tool or a test gets a ready dev database in one call.
///
/// Dev only: it stamps without asking and seeds, which is right for a throwaway database and
/// wrong anywhere else.
public struct DevDatabasePreparation: Sendable {
    /// What was done.
    public struct Outcome: Sendable {
        /// Whether the database was stamped now (it was new).
        public var stamped: Bool
        public var applied: [String]
        /// The seed report when the database was empty and got rows; `nil` when it had data.
        public var seeded: SeedReport?
    }

    /// Each step as it starts, for a caller to show.
    public enum Event: Sendable {
        case applying(migration: String)
        case seeding(table: String, position: Int, total: Int)
    }

    public let configuration: WenwexConfiguration
    public let migrations: [MigrationFile]
    /// The validated schema, for the seeder.
    public let schema: PrismaSchema

    public init(configuration: WenwexConfiguration, migrations: [MigrationFile], schema: PrismaSchema) {
        self.configuration = configuration
        self.migrations = migrations
        self.schema = schema
    }

    /// Runs the steps; `seedCount` rows per table with the deterministic `seed`, or no seeding
    /// when `seedCount` is 0. `afterSeeding` runs in the same session after rows were added
    /// (the marketplace gives its seeded accounts a known dev password there).
    public func run(
        seedCount: Int,
        seed: UInt64,
        events: @Sendable (Event) -> Void = { _ in },
        afterSeeding: (any SQLSession) async throws -> Void = { _ in }
    ) async throws -> Outcome {
        try TierGuard.requireTier([.dev], for: "preparing the dev database", in: configuration.environment)
        let primary = configuration.databases.primary
        if case .sqlite(let path) = primary.url.kind, path != ":memory:" {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
        }
        let stamping = try await DatabaseStamper.stamp(
            primary,
            owner: configuration.owner,
            confirmation: TerminalConfirmation(assumeYes: true)
        )
        var stamped = false
        if case .stamped = stamping { stamped = true }
        let owner = configuration.owner
        let files = migrations
        let deployed = try await GuardedDatabase.withSession(primary, owner: owner) { session in
            try await MigrationDeployer(session: session, files: files).deploy { name in
                events(.applying(migration: name))
            }
        }
        var seeded: SeedReport?
        if seedCount > 0 {
            let dialect: SQLDialect = if case .sqlite = primary.url.kind { .sqlite } else { .postgres }
            let seeder = Seeder(schema: schema, dialect: dialect)
            seeded = try await GuardedDatabase.withSession(primary, owner: owner) { session in
                guard try await seeder.existingRows(session) == 0 else { return nil }
                let report = try await seeder.seed(session, count: seedCount, seed: seed) { table, position, total in
                    events(.seeding(table: table, position: position, total: total))
                }
                try await afterSeeding(session)
                return report
            }
        }
        return Outcome(stamped: stamped, applied: deployed.applied, seeded: seeded)
    }
}
