import ArgumentParser
import Foundation
import Synchronization
import WenwexConfig
import WenwexMigrate
import WenwexOps
import WenwexSQL
import WenwexServer
import WenwexStorage

/// `wenwex up`: from a fresh clone to a running dev platform in one command.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Create, migrate and seed the dev database, then run the server.",
        discussion: """
            Dev only. With nothing configured the database is the embedded SQLite file under \
            .wenwex/ in the project directory; with --postgres it is the local PostgreSQL that \
            `wenwex dev up` manages (with --replicas N streaming replicas). The database is stamped for dev, pending \
            migrations are applied, fake data is seeded when the database is empty, and the \
            server starts; the URLs and a few example requests are printed. Ctrl-C stops it \
            cleanly.
            """
    )

    @OptionGroup var options: MigrateOptions
    @OptionGroup var server: ServerOptions

    @Flag(help: "Run on the local PostgreSQL of `wenwex dev up` (started, or created, first) instead of SQLite.")
    var postgres = false

    @Option(help: "With --postgres: streaming replicas to have; reads go to them.")
    var replicas = 0

    @Option(help: "Rows per table to seed into an empty database.")
    var seedCount = 20

    @Option(help: "The seed of the fake data.")
    var seed: UInt64 = 1

    func run() async throws {
        let output = Output(json: false)
        if postgres {
            let before = try options.project.loadConfiguration(output: output)
            try await MigrateFailure.run(output: output) {
                _ = try await DevCluster.up(before, replicas: replicas, print: false, output: output)
            }
        }
        // Loaded after `dev up` wrote .env.dev.local, so the URLs are the local cluster's.
        let configuration = try options.project.loadConfiguration(output: output)
        let logger = ServerLauncher.bootstrapLogging(configuration)
        let primary = configuration.databases.primary
        try await MigrateFailure.run(output: output) {
            try TierGuard.requireTier([.dev], for: "wenwex up", in: configuration.environment)
            let (settings, files) = try ServerLauncher.prepare(configuration, options: options, server: server)
            let schema = try options.validSchema(configuration, dialect: primary.url.dialect, output: output)
            let preparation = DevDatabasePreparation(configuration: configuration, migrations: files, schema: schema)
            let usable = UsableAccounts()
            let outcome = try await preparation.run(
                seedCount: seedCount,
                seed: seed,
                events: { event in
                    switch event {
                    case .applying(let migration): output.line("Applying migration \(migration)")
                    case .seeding(let table, let position, let total):
                        output.progress("Seeding \(table) (\(position)/\(total))…")
                    }
                },
                afterSeeding: { session in usable.set(try await DevData.prepareSeededRows(session, settings: settings))
                }
            )
            output.endProgress()
            if outcome.stamped {
                output.line("Created and stamped \(primary.url.label) (\(primary.url.masked)) for dev.")
            }
            output.line(
                "Database \(primary.url.masked): \(files.count) migration(s), \(outcome.applied.count) applied now."
            )
            let images = try settings.imageObjects()
            if case .stamped = try await StorageIdentity.stamp(
                images,
                owner: configuration.owner,
                label: "object storage (\(StorageFactory.describe(images)))"
            ) {
                output.line("Stamped the object storage (\(StorageFactory.describe(images))) for dev.")
            }
            if let report = outcome.seeded {
                output.line("Seeded \(report.totalRows) fake rows (seed \(seed)).")
                if let accounts = usable.value {
                    output.line(
                        "The \(accounts.accounts) seeded accounts sign in with the password '\(DevData.password)'"
                            + (accounts.sampleEmail.map { ", for example \($0)." } ?? ".")
                    )
                }
            }
            let host = settings.host
            try await ServerLauncher.serve(configuration, settings: settings, files: files, logger: logger) { port in
                output.line(Self.banner(host: host, port: port))
            }
        }
    }

    static func banner(host: String, port: Int) -> String {
        let base = "http://\(host):\(port)"
        return """

            WENWEX is up on \(base)  (dev; Ctrl-C stops it)
              health     \(base)/healthz
              readiness  \(base)/readyz
              metrics    \(base)/metrics

            Try:
              curl -s \(base)/products?limit=3
              curl -s -X POST \(base)/auth/signup -H 'Content-Type: application/json' \\
                   -d '{"email":"you@example.com","password":"correct horse","name":"You"}'
              # then, with the token it returns:
              curl -s -X POST \(base)/products -H "Authorization: Bearer $TOKEN" \\
                   -H 'Content-Type: application/json' -d '{"title":"Desk lamp","price":"24.90","stock":3}'

            """
    }
}

/// What the marketplace's seeding step reports back from inside the preparation's session.
private final class UsableAccounts: Sendable {
    private let state = Mutex<DevData.Report?>(nil)

    func set(_ value: DevData.Report) {
        state.withLock { $0 = value }
    }

    var value: DevData.Report? { state.withLock { $0 } }
}
