public import Foundation
public import WenwexConfig
public import WenwexSQL
public import WenwexSchema

/// `migrate dev`'s rules as a library: replay the history into a shadow database, deal with the
/// dev database's drift (report it, absorb it into a migration, or reset), write the migration
/// the schema needs, lint it against the dev database's rows, and apply it unless the lint
/// blocks or `createOnly`.
///
/// The CLI prints the ``Event``s and maps the ``Outcome`` and ``Failure`` to its exit statuses;
/// a team's own tooling or a test runs the same loop without it.
public struct DevMigrationLoop: Sendable {
    public struct Options: Sendable {
        /// The new migration's name (`add_referral_code`).
        public var name: String
        /// Write the file from the history alone: never apply, reset or absorb.
        public var createOnly: Bool
        /// Record drift as a migration marked applied, keeping the data.
        public var absorbDrift: Bool
        /// Drop and re-create the dev database when it drifted. The caller has already asked
        /// (`TierGuard.authorizeDestructive`).
        public var reset: Bool
        /// The datasource's `shadowDatabaseUrl`, when it names one (PostgreSQL).
        public var shadowURL: DatabaseURL?
        /// Online by default: the migration deploys to production, where tables are large.
        public var ddlForm: DDLForm

        public init(
            name: String,
            createOnly: Bool = false,
            absorbDrift: Bool = false,
            reset: Bool = false,
            shadowURL: DatabaseURL? = nil,
            ddlForm: DDLForm = .online
        ) {
            self.name = name
            self.createOnly = createOnly
            self.absorbDrift = absorbDrift
            self.reset = reset
            self.shadowURL = shadowURL
            self.ddlForm = ddlForm
        }
    }

    /// What happens along the way, in order, for a caller to show.
    public enum Event: Sendable {
        case applying(migration: String)
        /// An object schema.prisma cannot express differs from what the history made; shown,
        /// never dropped, never blocking.
        case keptObjectDrift(String)
        case driftDetected([SchemaChange])
        case driftAbsorbed(MigrationFile)
        case databaseReset
        /// One file of the new migration; the online form may write up to three, each with its
        /// own event, the findings (of all of them) with the first.
        case created(MigrationFile, sql: String, findings: [LintFinding])
    }

    public enum Outcome: Sendable {
        /// The schema matches the migrations and the dev database has them all.
        case inSync
        /// A migration was written (its first file); `applied` is false with `createOnly`.
        case created(MigrationFile, applied: Bool)
    }

    public enum Failure: Error, Sendable {
        /// The dev database differs from the history and neither absorbing nor resetting was
        /// asked for.
        case drift([SchemaChange])
        /// The new migration can lose data; it was written, not applied.
        case newMigrationBlocked(MigrationFile, [LintFinding])
        /// Pending migrations from an earlier run lose data and do not acknowledge it.
        case pendingMigrationsBlocked([MigrationLintReport])
    }

    public let primary: DatabaseEndpoints.Endpoint
    public let owner: DatabaseOwner
    public let directory: MigrationDirectory
    /// The lowered schema.prisma.
    public let target: SQLSchema
    public let options: Options

    public init(
        primary: DatabaseEndpoints.Endpoint,
        owner: DatabaseOwner,
        directory: MigrationDirectory,
        target: SQLSchema,
        options: Options
    ) {
        self.primary = primary
        self.owner = owner
        self.directory = directory
        self.target = target
        self.options = options
    }

    var dialect: SQLDialect {
        if case .sqlite = primary.url.kind { .sqlite } else { .postgres }
    }

    public func run(events: @Sendable (Event) -> Void = { _ in }) async throws -> Outcome {
        try directory.checkProvider(dialect)
        let files = try directory.migrations()
        let history = try await ShadowDatabase.with(beside: primary.url, shadowURL: options.shadowURL) { shadow in
            try await ShadowDatabase.replay(files, into: shadow)
        }
        // What the migrations produce once drift is dealt with: the history itself, unless a
        // drift migration was added or the database was reset.
        var base = history
        if !options.createOnly {
            base = try await withPrimary { session in
                try await applyPending(files, to: session, events: events)
                let current = try await SchemaIntrospection.introspector(for: dialect).introspect(session)
                // An extension the database has beyond the history (a hosted database's
                // preinstalled `pg_stat_statements`, `pgcrypto`, …), or at another version (a
                // host's upgrade), is not drift that blocks: no migration could undo it.
                let drift = SchemaDiffer.changes(from: history, to: current).filter {
                    switch $0 {
                    case .createExtension, .updateExtension: false
                    default: true
                    }
                }
                for line in KeptObjectDrift.differences(history: history, database: current) {
                    events(.keptObjectDrift(line))
                }
                guard !drift.isEmpty else { return history }
                return try await handleDrift(
                    drift,
                    history: history,
                    current: current,
                    session: session,
                    events: events
                )
            }
        }
        var script = MigrationPlanner.script(from: base, to: target, dialect: dialect, form: options.ddlForm)
        guard !script.isEmpty else { return .inSync }
        // The dev database is at `base` now, so its rows are the facts the linter needs. The
        // files are linted as one script: together they take `base` to the target.
        let findings = try await withPrimary { session in
            try await MigrationLinter(dialect: dialect, database: session).lint(
                sql: script.files.map(\.sql).joined(separator: "\n"),
                before: base,
                after: target.databaseView
            )
        }
        script.addWarnings(for: findings)
        try directory.writeLockIfMissing(dialect)
        var created: [MigrationFile] = []
        for part in script.files {
            let name = part.nameSuffix.map { options.name + "_" + $0 } ?? options.name
            let file = try directory.create(name: name, sql: part.sql)
            events(.created(file, sql: part.sql, findings: created.isEmpty ? findings : []))
            created.append(file)
        }
        let file = created[0]
        if !findings.blocking.isEmpty { throw Failure.newMigrationBlocked(file, findings.blocking) }
        if options.createOnly { return .created(file, applied: false) }
        try await withPrimary { session in
            try await applyPending(try directory.migrations(), to: session, events: events)
        }
        return .created(file, applied: true)
    }

    func withPrimary<Result: Sendable>(_ body: (any SQLSession) async throws -> Result) async throws -> Result {
        try await GuardedDatabase.withSession(primary, owner: owner, body)
    }

    /// Applies pending migrations to the dev database after linting them against it: a file
    /// written by an earlier run that stopped on a lint error runs only once it acknowledges
    /// the rule.
    func applyPending(
        _ files: [MigrationFile],
        to session: any SQLSession,
        events: @Sendable (Event) -> Void
    ) async throws {
        let status = MigrationStatus(files: files, records: try await MigrationHistory(session).records())
        if !status.pending.isEmpty, status.failed.isEmpty, status.edited.isEmpty, status.missingFromDirectory.isEmpty {
            let reports = try await ShadowDatabase.with(beside: primary.url) { shadow in
                try await MigrationDirectoryLinter(dialect: session.dialect, database: session)
                    .lint(files, selected: Set(status.pending.map(\.name)), shadow: shadow)
            }
            let blocking = reports.filter { !$0.findings.blocking.isEmpty }
            if !blocking.isEmpty { throw Failure.pendingMigrationsBlocked(blocking) }
        }
        try await MigrationDeployer(session: session, files: files).deploy { name in
            events(.applying(migration: name))
        }
    }

    /// Absorbs the drift into a migration or resets the database, when asked; returns the
    /// schema the migrations now produce.
    func handleDrift(
        _ drift: [SchemaChange],
        history: SQLSchema,
        current: SQLSchema,
        session: any SQLSession,
        events: @Sendable (Event) -> Void
    ) async throws -> SQLSchema {
        events(.driftDetected(drift))
        if options.absorbDrift {
            let script = MigrationPlanner.script(from: history, to: current, dialect: session.dialect)
            try directory.writeLockIfMissing(session.dialect)
            let file = try directory.create(name: "absorb_drift", sql: script.sql)
            try await MigrationHistory(session).recordApplied(file)
            events(.driftAbsorbed(file))
            return current
        }
        if options.reset {
            try await DatabaseReset.dropEverything(session, url: primary.url)
            events(.databaseReset)
            try await applyPending(try directory.migrations(), to: session, events: events)
            return history
        }
        throw Failure.drift(drift)
    }
}
