import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WenwexConfig

/// `wenwex db reset`: the dev database wiped, migrated and seeded, once or on a schedule.
struct DbResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Drop everything in the dev database, apply every migration, and seed it.",
        discussion: """
            Dev tier only, and it asks first (--yes in scripts). The identity stamp is kept. It \
            seeds with [schema] seed in wenwex.toml when the project has one, else with the \
            built-in seeder (wenwex db seed).

            With --every 24h it keeps running and resets again each interval, the guide's daily \
            wipe, until SIGTERM or Ctrl-C; a failed reset is reported and retried at the next \
            slot. The same from cron: 0 4 * * * cd /srv/app && wenwex db reset --yes
            """
    )

    @OptionGroup var options: MigrateOptions

    @Flag(help: "Confirm without asking (needed with --every and in scripts).")
    var yes = false

    @Flag(help: "Do not seed.")
    var skipSeed = false

    @Option(help: "Rows per table for the built-in seeder.")
    var count = 10

    @Option(help: "The seed of the fake data.")
    var seed: UInt64 = 1

    @Option(help: "Reset again every interval (24h, 12h, 30m) until stopped.")
    var every: String?

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be 0 or more") }
        if every != nil, !yes { throw ValidationError("--every runs unattended: pass --yes as well") }
    }

    func run() async throws {
        let output = Output(json: false)
        let configuration = try options.loadConfiguration(output: output)
        let reset = DevReset(
            options: options,
            configuration: configuration,
            output: output,
            builtInSeedCount: count,
            seed: seed,
            skipSeed: skipSeed
        )
        try await MigrateFailure.run(output: output) {
            try reset.authorize("wenwex db reset", yes: yes)
            guard let every else { return try await reset.run() }
            guard let interval = DurationFormat.parse(every), interval >= .seconds(1) else {
                throw CLIFailure(
                    "--every '\(every)' is not a duration of a second or more",
                    fix: "write e.g. 24h or 30m",
                    code: .usage
                )
            }
            output.line(
                "Resetting \(configuration.databases.primary.url.label) now and every \(every); stop with Ctrl-C."
            )
            let logger = Logger(label: "wenwex.db.reset")
            let service = RecurringReset(reset: reset, interval: interval, output: output)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: service)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await group.run()
        }
    }
}

/// The `--every` loop: reset, wait, reset; a failure is printed and the next slot tries again,
/// so one bad migration does not end the schedule. Ends at graceful shutdown, never mid-reset.
struct RecurringReset: Service {
    var reset: DevReset
    var interval: Duration
    var output: Output

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await reset.run()
                output.line("Reset done at \(Date().formatted(.iso8601)); next in \(interval).")
            } catch {
                output.error("\(MigrateFailure.failure(for: error, output: output).description)")
            }
            // Sleeps until the next slot, or returns at once on SIGTERM.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
