import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WenwexConfig
import WenwexOps

struct BackupScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Run backups on a schedule: create, verify, prune, every interval, until stopped.",
        discussion: """
            Runs never overlap (a slot that passes during a run is skipped), a missed run is \
            caught up at start-up when the newest backup is older than the interval, and each \
            run starts up to --jitter after its slot. Stops cleanly on SIGTERM or SIGINT.
            """
    )

    @OptionGroup var options: MigrateOptions

    @Option(help: "How often (30m, 1h, 1d).")
    var every: String = "1h"

    @Option(help: "The retention policy applied after each backup.")
    var keep: String = "24 hourly, 7 daily, 4 weekly, 12 monthly"

    @Option(help: "Start each run up to this long after its slot.")
    var jitter: String = "0s"

    @Flag(help: "Do not verify each backup (verification restores it into a scratch database).")
    var noVerify = false

    func run() async throws {
        guard let interval = DurationFormat.parse(every), interval > .zero else {
            throw CLIFailure("--every '\(every)' is not a duration", fix: "write e.g. 1h or 30m", code: .usage)
        }
        guard let spread = DurationFormat.parse(jitter) else {
            throw CLIFailure("--jitter '\(jitter)' is not a duration", fix: "write e.g. 5m", code: .usage)
        }
        let context = try await BackupContext.load(options)
        let policy = try await context.run { try RetentionPolicy(parsing: keep) }
        var settings = context.settings
        settings.logger.logLevel = .info
        let scheduler = settings.scheduler(
            every: interval,
            jitter: spread,
            policy: policy,
            source: context.primary,
            owner: context.owner,
            verify: !noVerify,
            migrations: try? context.migrationsFolder.migrations()
        )
        context.output.line(
            "Backing up \(context.primary.label) every \(every) (keep \(policy)); stop with Ctrl-C."
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: scheduler)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: settings.logger
            )
        )
        try await group.run()
    }
}
