import ArgumentParser
import Foundation
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexSchema

/// `wenwex migrate dev`: the development loop. Edit schema.prisma, run this, commit the file.
struct MigrateDevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Write a migration for the schema's changes and apply it to the dev database.",
        discussion: """
            Replays the migrations folder into a shadow database, compares the result with \
            schema.prisma, writes prisma/migrations/<timestamp>_<name>/migration.sql when anything \
            differs, and applies it to the dev database. When the dev database has drifted from \
            the history, it shows exactly what differs and offers --absorb-drift (a migration that \
            records the drift, keeping all data); it never resets without --reset and a confirmation. \
            Dev tier only.
            """
    )

    @OptionGroup var options: MigrateOptions

    @Option(help: "The new migration's name, e.g. add_referral_code.")
    var name: String = "migration"

    @Flag(help: "Write the migration file without applying it (to edit it first).")
    var createOnly = false

    @Flag(help: "Record the dev database's drift as a migration marked applied, keeping its data.")
    var absorbDrift = false

    @Flag(help: "Drop and re-create the dev database when it has drifted (loses its data; asks first).")
    var reset = false

    @Flag(help: "Confirm --reset without asking.")
    var yes = false

    func run() async throws {
        let output = Output(json: false)
        let configuration = try options.loadConfiguration(output: output)
        let primary = configuration.databases.primary
        let dialect = primary.url.dialect
        let directory = options.migrationDirectory(configuration)
        try await MigrateFailure.run(output: output) {
            try TierGuard.requireTier([.dev], for: "wenwex migrate dev", in: configuration.environment)
            let prismaSchema = try options.validSchema(configuration, dialect: dialect, output: output)
            let target = SchemaLowering.lower(prismaSchema, dialect: dialect)
            // The datasource's `shadowDatabaseUrl`, as Prisma honours it (for a user that may not
            // create databases); otherwise a temporary database beside the dev one.
            let shadowURL =
                dialect == .postgres
                ? try DatasourceURLs.url("shadowDatabaseUrl", in: prismaSchema, configuration: configuration) : nil
            try directory.checkProvider(dialect)
            if reset {
                try TierGuard.authorizeDestructive(
                    "wenwex migrate dev --reset",
                    database: primary.url.label,
                    in: configuration.environment,
                    confirmation: TerminalConfirmation(assumeYes: yes)
                )
            }
            let files = try directory.migrations()
            let history = try await ShadowDatabase.with(beside: primary.url, shadowURL: shadowURL) { shadow in
                try await ShadowDatabase.replay(files, into: shadow)
            }
            // What the migrations produce once drift is dealt with: the history itself, unless
            // a drift migration was added or the database was reset.
            var base = history
            // --create-only writes the file from the history alone: it never applies, resets or
            // asks anything, so it runs the same in CI and without a terminal.
            if !createOnly {
                try await withGuardedPrimary(configuration) { session in
                    try await applyPending(files, to: session, database: primary.url, output: output)
                    let current = try await SchemaIntrospection.introspector(for: dialect).introspect(session)
                    // An extension the database has beyond the history (a hosted database's
                    // preinstalled `pg_stat_statements`, `pgcrypto`, …) is shown below, not drift
                    // that blocks: no migration could have removed it.
                    let drift = SchemaDiffer.changes(from: history, to: current).filter {
                        if case .createExtension = $0 { return false }
                        return true
                    }
                    // Hand-made objects (search indexes, triggers, policies) are never dropped;
                    // a difference from what the history made is shown, and does not block.
                    for line in KeptObjectDrift.differences(history: history, database: current) {
                        output.error("Drift in an object schema.prisma cannot express: \(line).")
                    }
                    if !drift.isEmpty {
                        base = try await handleDrift(
                            drift,
                            history: history,
                            current: current,
                            session: session,
                            directory: directory,
                            database: primary.url,
                            output: output
                        )
                    }
                }
            }
            var script = MigrationPlanner.script(from: base, to: target, dialect: dialect)
            guard !script.isEmpty else {
                output.line("Already in sync: schema.prisma matches the migrations, and the dev database has them all.")
                return
            }
            // The dev database is at `base` now, so its rows are the facts the linter needs.
            let findings = try await withGuardedPrimary(configuration) { session in
                try await MigrationLinter(dialect: dialect, database: session).lint(
                    sql: script.sql,
                    before: base,
                    after: target.databaseView
                )
            }
            script.addWarnings(for: findings)
            try directory.writeLockIfMissing(dialect)
            let file = try directory.create(name: name, sql: script.sql)
            output.line("Created \(file.url.path):\n")
            output.line(script.sql)
            for finding in findings { output.error(finding.description) }
            if !findings.blocking.isEmpty {
                output.error(
                    """
                    Not applied: the migration can lose data (\(findings.blocking.count) error\(findings.blocking.count == 1 ? "" : "s") above).
                      fix: change schema.prisma and delete the file, or review it, add `-- wenwex:allow <rule>` lines for what \
                    you accept, and run `wenwex migrate dev` again to apply it
                    """
                )
                throw ExitCode(1)
            }
            if createOnly {
                output.line("Not applied (--create-only). Edit it if needed, then run `wenwex migrate dev` again.")
                return
            }
            try await withGuardedPrimary(configuration) { session in
                try await applyPending(try directory.migrations(), to: session, database: primary.url, output: output)
            }
            output.line("The dev database is now in sync with schema.prisma.")
        }
    }

    /// Applies pending migrations to the dev database, after linting them against it: a file
    /// written by an earlier run that stopped on a lint error runs only once it acknowledges
    /// the rule.
    private func applyPending(
        _ files: [MigrationFile],
        to session: any SQLSession,
        database: DatabaseURL,
        output: Output
    )
        async throws
    {
        let status = MigrationStatus(files: files, records: try await MigrationHistory(session).records())
        if !status.pending.isEmpty, status.failed.isEmpty, status.edited.isEmpty, status.missingFromDirectory.isEmpty {
            let reports = try await ShadowDatabase.with(beside: database) { shadow in
                try await MigrationDirectoryLinter(dialect: session.dialect, database: session)
                    .lint(files, selected: Set(status.pending.map(\.name)), shadow: shadow)
            }
            let blocking = reports.filter { !$0.findings.blocking.isEmpty }
            if !blocking.isEmpty {
                for report in blocking {
                    output.error("\(report.migration):")
                    for finding in report.findings.blocking { output.error("  \(finding)") }
                }
                output.error(
                    "  fix: add `-- wenwex:allow <rule>` lines to the migration for what you accept, or change it"
                )
                throw ExitCode(1)
            }
        }
        try await MigrationDeployer(session: session, files: files).deploy { name in
            output.line("Applying migration \(name)")
        }
    }

    /// Reports drift and, when asked, absorbs it into a migration or resets the database;
    /// returns the schema the migrations now produce.
    private func handleDrift(
        _ drift: [SchemaChange],
        history: SQLSchema,
        current: SQLSchema,
        session: any SQLSession,
        directory: MigrationDirectory,
        database: DatabaseURL,
        output: Output
    ) async throws -> SQLSchema {
        output.error("Drift detected: the dev database differs from what the migrations produce:")
        for change in drift { output.error("  - the database has \(change)") }
        if absorbDrift {
            let script = MigrationPlanner.script(from: history, to: current, dialect: session.dialect)
            try directory.writeLockIfMissing(session.dialect)
            let file = try directory.create(name: "absorb_drift", sql: script.sql)
            try await MigrationHistory(session).recordApplied(file)
            output.line("Recorded the drift as \(file.url.path) (marked applied; no data changed).")
            return current
        }
        if reset {
            try await DatabaseReset.dropEverything(session, url: database)
            output.line("Reset the dev database.")
            try await applyPending(try directory.migrations(), to: session, database: database, output: output)
            return history
        }
        output.error(
            """
              fix: run `wenwex migrate dev --absorb-drift` to record these changes as a migration (keeps all data),
                   or `wenwex migrate dev --reset` to drop the dev database and re-apply the migrations (loses its data)
            """
        )
        throw ExitCode(1)
    }
}
