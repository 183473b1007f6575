import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import WenwexConfig
import WenwexHummingbird
import WenwexMigrate
import WenwexOps
import WenwexRouting
import WenwexSQL
import WenwexServer
import WenwexStorage

/// What `wenwex serve` and `wenwex up` share: the server's options and its start-up order.
///
/// Start-up runs every check before the port is bound: configuration (already loaded), the
/// migration folder, `--migrate` under the migration lock, the login (production runs as the
/// application role once `wenwex access apply` made it), then the cross-environment guard
/// while the router opens. Any failure exits with the documented status and nothing listening.
struct ServerOptions: ParsableArguments {
    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (default: PORT, else 8080; 0 picks a free port).")
    var port: Int?
}

enum ServerLauncher {
    /// Process-wide: swift-metrics takes one backend per process.
    static var registry: PrometheusCollectorRegistry { WenwexPlatform.sharedRegistry }

    static func bootstrapLogging(_ configuration: WenwexConfiguration) -> Logger {
        let level = configuration.string("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "wenwex.server")
        logger.logLevel = level
        return logger
    }

    /// The server's settings, and the migrations it checks readiness against (from the folder
    /// for the primary's dialect, or `--migrations`).
    static func prepare(
        _ configuration: WenwexConfiguration,
        options: MigrateOptions,
        server: ServerOptions
    ) throws -> (settings: ServerSettings, files: [MigrationFile]) {
        let settings = try ServerSettings(configuration: configuration, host: server.host, port: server.port)
        let directory = options.migrationDirectory(configuration)
        return (settings, try directory.migrations(for: configuration.databases.primary.url.dialect))
    }

    static func deploy(
        _ configuration: WenwexConfiguration,
        files: [MigrationFile],
        output: Output
    ) async throws -> DeployResult {
        try await withGuardedPrimary(configuration) { session in
            try await MigrationDeployer(session: session, files: files).deploy { name in
                output.line("Applying migration \(name)")
            }
        }
    }

    /// Opens the router (the guard reads every database's stamp) and serves until SIGTERM or
    /// SIGINT, then drains in-flight requests and closes the pools.
    static func serve(
        _ configuration: WenwexConfiguration,
        settings: ServerSettings,
        files: [MigrationFile],
        logger: Logger,
        deploying: Bool = false,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) async throws {
        let registry = Self.registry
        try await ServerLoginCheck.run(configuration, deploying: deploying, logger: logger)
        // The guard covers storage as it covers databases: a prod server refuses a bucket
        // stamped for another environment, or an unstamped one.
        let store = try settings.imageObjects()
        let label = "object storage (\(StorageFactory.describe(store)))"
        switch try await StorageIdentity.check(store, owner: configuration.owner, label: label) {
        case .owned: break
        case .unstamped(let warning): logger.warning("\(warning.description)")
        case .refused(let problem): throw ConfigurationError([problem])
        }
        let router = try await RouterFactory.make(
            for: configuration,
            logger: WenwexPlatform.databaseLogger(logger, configuration)
        )
        // BACKUP_SCHEDULE runs the backup schedule in this process, beside the HTTP server.
        let backups = try await BackupSettings.configuredSchedule(configuration, migrations: files)
        if backups != nil {
            logger.info(
                "backups scheduled",
                metadata: ["every": "\(configuration.rawValue("BACKUP_SCHEDULE")?.value ?? "")"]
            )
        }
        let application = try await MarketplaceServer.makeApplication(
            settings: settings,
            database: router,
            migrations: files,
            registry: registry,
            logger: logger,
            services: backups.map { [$0] } ?? [],
            onServerRunning: onRunning
        )
        try await application.runService()
    }
}
