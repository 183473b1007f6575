import ArgumentParser
import Synchronization
import WenwexAccess
import WenwexConfig
import WenwexMigrate
import WenwexSQL

/// `wenwex migrate deploy`: what production runs on every deploy.
struct MigrateDeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Apply pending migrations, each in its own transaction, under the migration lock.",
        discussion: """
            Runs in every environment. Two servers deploying at once apply each migration exactly \
            once. Refuses, naming the migration, when an applied file was edited, when a migration \
            failed earlier and is not resolved, or when the database has migrations the folder lacks. \
            A contract migration (a file with a `-- wenwex:contract` line: the half of an \
            expand/contract change that removes the old shape) and everything after it wait for \
            --contract, which refuses while a running server was built without every migration \
            before it.
            """
    )

    @OptionGroup var options: MigrateOptions

    @Option(help: "How long to wait for another deploy holding the migration lock, in seconds.")
    var lockTimeout = 60

    @Option(
        help: ArgumentHelp(
            "PostgreSQL: how long each attempt waits for a table lock before it gives up and retries (0 waits forever).",
            discussion:
                "A migration queued behind a long transaction holds up every query on the table; giving up lets them run."
        )
    )
    var tableLockTimeout = "500ms"

    @Option(help: "PostgreSQL: how long to keep retrying a migration whose table locks time out.")
    var lockRetryFor = "5m"

    @Flag(
        help:
            "Also apply contract migrations, once every running server was built with every migration before them."
    )
    var contract = false

    @Option(help: "Rows per batch of a `-- wenwex:backfill` line, each batch its own transaction.")
    var backfillBatch = 1000

    @Option(
        help:
            "The pause after each backfill batch, as a multiple of the batch's own time (0 runs them back to back)."
    )
    var backfillPause = 1.0

    func run() async throws {
        let output = Output(json: false)
        let configuration = try options.loadConfiguration(output: output)
        let primary = configuration.databases.primary
        let directory = options.migrationDirectory(configuration)
        guard let perAttempt = DurationFormat.parse(tableLockTimeout),
            let retryFor = DurationFormat.parse(lockRetryFor)
        else {
            throw CLIFailure(
                "--table-lock-timeout and --lock-retry-for take durations",
                fix: "write e.g. --table-lock-timeout 500ms --lock-retry-for 5m",
                code: .usage
            )
        }
        try await MigrateFailure.run(output: output) {
            let files = try directory.migrations(for: primary.url.dialect)
            output.line("\(files.count) migration\(files.count == 1 ? "" : "s") found in \(directory.url.path)")
            let result = try await Self.gated(configuration, output) {
                try await withGuardedPrimary(configuration) { session in
                    // Once `access apply` made the roles, migrations run as the schema's owner.
                    let roles = AccessRoles(
                        project: configuration.project.projectName,
                        environment: configuration.environment.name
                    )
                    if try await roles.actAsMigrator(session) { output.line("Running as \(roles.migrator).") }
                    var deployer = MigrationDeployer(session: session, files: files)
                    deployer.runsContractMigrations = contract
                    deployer.backfills.batchSize = max(backfillBatch, 1)
                    deployer.backfills.pauseRatio = max(backfillPause, 0)
                    let lastShown = Mutex(ContinuousClock.now - .seconds(10))
                    deployer.backfills.onProgress = { progress in
                        let now = ContinuousClock.now
                        let due = lastShown.withLock { last in
                            guard progress.finished || progress.rowsDone == 0 || now - last >= .seconds(1) else {
                                return false
                            }
                            last = now
                            return true
                        }
                        guard due else { return }
                        let state =
                            progress.finished
                            ? "done" : progress.resumed && progress.rowsDone > 0 ? "resumed, running" : "running"
                        output.line(
                            "Backfill of \(progress.table) (\(progress.migration)): \(progress.rowsDone) rows, \(state)"
                        )
                    }
                    deployer.lockRetry = MigrationLockRetry(
                        lockTimeout: perAttempt > .zero ? perAttempt : nil,
                        maxWait: retryFor
                    )
                    deployer.onLockRetry = { name, attempt, backoff in
                        output.line(
                            "Migration \(name) timed out waiting for a table lock (attempt \(attempt)); the traffic behind it ran on. Retrying in \(backoff)."
                        )
                    }
                    return try await deployer.deploy(lockTimeout: .seconds(lockTimeout)) { name in
                        output.line("Applying migration \(name)")
                    }
                }
            }
            for name in result.appliedElsewhere {
                output.line("Migration \(name) was applied by another deploy while this one waited.")
            }
            if let first = result.waitingForContract.first {
                let after = result.waitingForContract.count - 1
                let what =
                    "Contract migration \(first)"
                    + (after == 0 ? " waits" : " and the \(after) after it wait")
                output.line(
                    "\(what) for `wenwex migrate deploy --contract`: run it once every server runs this release."
                )
            }
            if result.applied.isEmpty {
                output.line(
                    result.waitingForContract.isEmpty
                        ? "No pending migrations to apply to \(primary.url.label)."
                        : "Nothing else to apply to \(primary.url.label)."
                )
            } else {
                output.line(
                    "Applied \(result.applied.count) migration\(result.applied.count == 1 ? "" : "s") to \(primary.url.label)."
                )
            }
        }
    }

    /// A deploy to a prod-tier environment is privileged: the actor needs `migrate` there, and
    /// the audit log records it.
    static func gated<Result>(
        _ configuration: WenwexConfiguration,
        _ output: Output,
        _ body: () async throws -> Result
    ) async throws -> Result {
        guard configuration.environment.tier == .prod else { return try await body() }
        return try await PrivilegedCommand.run(
            "migrate",
            command: "wenwex migrate deploy",
            target: configuration.databases.primary.url.label,
            in: configuration,
            output: output,
            body
        )
    }
}
