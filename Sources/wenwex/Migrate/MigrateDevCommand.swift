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
            differs, and applies it to the dev database. On PostgreSQL the migration is written in \
            the online form, so deploying it never stops traffic on a large table: indexes on \
            existing tables are built CONCURRENTLY in a file of their own, and new foreign keys \
            and required columns are added NOT VALID and validated in a later file (--plain-ddl \
            writes Prisma's single-transaction form instead). When the dev database has drifted from \
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

    @Flag(
        help:
            "Write Prisma's plain form (CREATE INDEX, constraints validated at once, all in one transaction), which locks each table while it reads it: for tables small enough not to notice."
    )
    var plainDdl = false

    func run() async throws {
        let output = Output(json: false)
        let configuration = try options.loadConfiguration(output: output)
        let primary = configuration.databases.primary
        let dialect = primary.url.dialect
        try await MigrateFailure.run(output: output) {
            try TierGuard.requireTier([.dev], for: "wenwex migrate dev", in: configuration.environment)
            let prismaSchema = try options.validSchema(configuration, dialect: dialect, output: output)
            if reset {
                try TierGuard.authorizeDestructive(
                    "wenwex migrate dev --reset",
                    database: primary.url.label,
                    in: configuration.environment,
                    confirmation: TerminalConfirmation(assumeYes: yes)
                )
            }
            // The datasource's `shadowDatabaseUrl`, as Prisma honours it (for a user that may not
            // create databases); otherwise a temporary database beside the dev one.
            let shadowURL =
                dialect == .postgres
                ? try DatasourceURLs.url("shadowDatabaseUrl", in: prismaSchema, configuration: configuration) : nil
            let loop = DevMigrationLoop(
                primary: primary,
                owner: configuration.owner,
                directory: options.migrationDirectory(configuration),
                target: SchemaLowering.lower(prismaSchema, dialect: dialect),
                options: .init(
                    name: name,
                    createOnly: createOnly,
                    absorbDrift: absorbDrift,
                    reset: reset,
                    shadowURL: shadowURL,
                    ddlForm: plainDdl ? .plain : .online
                )
            )
            do {
                switch try await loop.run(events: { Self.show($0, output) }) {
                case .inSync:
                    output.line(
                        "Already in sync: schema.prisma matches the migrations, and the dev database has them all."
                    )
                case .created(_, applied: false):
                    output.line("Not applied (--create-only). Edit it if needed, then run `wenwex migrate dev` again.")
                case .created(_, applied: true):
                    output.line("The dev database is now in sync with schema.prisma.")
                }
            } catch let failure as DevMigrationLoop.Failure {
                throw Self.cliFailure(failure, output)
            }
        }
    }

    static func show(_ event: DevMigrationLoop.Event, _ output: Output) {
        switch event {
        case .applying(let migration):
            output.line("Applying migration \(migration)")
        case .keptObjectDrift(let line):
            output.error("Drift in an object schema.prisma cannot express: \(line).")
        case .driftDetected(let changes):
            output.error("Drift detected: the dev database differs from what the migrations produce:")
            for change in changes { output.error("  - the database has \(change)") }
        case .driftAbsorbed(let file):
            output.line("Recorded the drift as \(file.url.path) (marked applied; no data changed).")
        case .databaseReset:
            output.line("Reset the dev database.")
        case .created(let file, let sql, let findings):
            output.line("Created \(file.url.path):\n")
            output.line(sql)
            for finding in findings { output.error(finding.description) }
        }
    }

    /// The loop's refusals, with what to do next.
    static func cliFailure(_ failure: DevMigrationLoop.Failure, _ output: Output) -> CLIFailure {
        switch failure {
        case .drift:
            return CLIFailure(
                "the dev database has drifted from the migrations; nothing was changed",
                fix: """
                    run `wenwex migrate dev --absorb-drift` to record these changes as a migration (keeps all data),
                         or `wenwex migrate dev --reset` to drop the dev database and re-apply the migrations (loses its data)
                    """,
                code: .problem
            )
        case .newMigrationBlocked(_, let blocking):
            return CLIFailure(
                "not applied: the migration can lose data (\(blocking.count) error\(blocking.count == 1 ? "" : "s") above)",
                fix:
                    "change schema.prisma and delete the file, or review it, add `-- wenwex:allow <rule>` lines for what you accept, and run `wenwex migrate dev` again to apply it",
                code: .problem
            )
        case .pendingMigrationsBlocked(let reports):
            for report in reports {
                output.error("\(report.migration):")
                for finding in report.findings.blocking { output.error("  \(finding)") }
            }
            return CLIFailure(
                "pending migrations can lose data and do not say they accept it; nothing was applied",
                fix: "add `-- wenwex:allow <rule>` lines to the migration for what you accept, or change it",
                code: .problem
            )
        }
    }
}
