public import Foundation
public import Hummingbird
public import Logging
import Metrics
import NIOCore
public import Prometheus
import ServiceLifecycle
public import WenwexConfig
public import WenwexMigrate
public import WenwexRouting
import WenwexSQL

/// What a Hummingbird app gets from Wenwex: the validated configuration, the database router
/// (opened through the cross-environment guard), the migrations the app shipped with, and the
/// middleware and operations routes that use them.
///
/// ```swift
/// let platform = try await WenwexPlatform.start(.init(deployMigrations: true))
/// let router = Router(context: BasicWenwexRequestContext.self)
/// platform.install(on: router)
/// router.get("notes") { _, context in
///     try await platform.database.read(after: context.consistency) { session in
///         try await session.query("SELECT id, body FROM \(identifier: "Note")").count.description
///     }
/// }
/// try await platform.makeApplication(router: router).runService()
/// ```
///
/// Start-up runs every check before the port is bound, in the order `wenwex serve` uses: the
/// configuration (variables typed and required per environment), the migration folder, the
/// optional deploy under the migration lock, the login check (once `wenwex access apply` made
/// the roles, production runs only as the application role), then the guard reading every
/// database's identity stamp. A failure throws before anything listens, so a production server pointed at a dev
/// database never takes a request.
public struct WenwexPlatform: Sendable {
    /// How to start.
    public struct Options: Sendable {
        /// The project (default: the nearest directory upwards with a `wenwex.toml`).
        public var projectDirectory: URL?
        /// The environment (default: `WENWEX_ENV`, else dev).
        public var environment: String?
        /// Applies pending migrations before opening the router. Off by default: in staging and
        /// prod, `wenwex migrate deploy` runs once per release, not once per instance.
        public var deployMigrations: Bool
        /// Health-probe timing, lag bounds and pool sizes for the router.
        public var routing: RoutingOptions
        /// Where request and router metrics go (default: ``sharedRegistry``).
        public var registry: PrometheusCollectorRegistry?

        /// Defaults: the nearest project, `WENWEX_ENV`, no deploy, default routing, the shared registry.
        public init(
            projectDirectory: URL? = nil,
            environment: String? = nil,
            deployMigrations: Bool = false,
            routing: RoutingOptions = .init(),
            registry: PrometheusCollectorRegistry? = nil
        ) {
            self.projectDirectory = projectDirectory
            self.environment = environment
            self.deployMigrations = deployMigrations
            self.routing = routing
            self.registry = registry
        }
    }

    /// The validated configuration of the environment the process runs as.
    public let configuration: WenwexConfiguration
    /// Reads and writes: run it as a service of the application (``makeApplication(router:host:port:onServerRunning:)``
    /// does) so its pools and health probes live and stop with the server.
    public let database: any DatabaseRouter
    /// The migrations in the project's folder, for `/readyz`.
    public let migrations: [MigrationFile]
    /// Where request and router metrics are recorded; `/metrics` serves it.
    public let registry: PrometheusCollectorRegistry
    /// The app's logger, at `LOG_LEVEL` when the configuration sets it.
    public let logger: Logger

    /// For callers that ran the steps themselves (the `wenwex` CLI).
    public init(
        configuration: WenwexConfiguration,
        database: any DatabaseRouter,
        migrations: [MigrationFile],
        registry: PrometheusCollectorRegistry = WenwexPlatform.sharedRegistry,
        logger: Logger
    ) {
        self.configuration = configuration
        self.database = database
        self.migrations = migrations
        self.registry = registry
        self.logger = logger
    }

    /// Loads the configuration, reads the migrations, deploys them when asked, and opens the
    /// router through the guard. `logger`'s level follows `LOG_LEVEL` when it is set.
    ///
    /// Throws `ConfigurationError` (its description lists every problem with its fix),
    /// `MigrationDirectoryError`, a deploy failure, or the guard's refusal.
    public static func start(_ options: Options = .init(), logger: Logger = Logger(label: "wenwex")) async throws
        -> WenwexPlatform
    {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let configuration = try WenwexConfiguration.load(
            .init(
                projectDirectory: options.projectDirectory ?? ProjectFile.projectDirectory(searchingUpFrom: current),
                environmentName: options.environment
            )
        )
        var logger = logger
        if let level = configuration.string("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) {
            logger.logLevel = level
        }
        let primary = configuration.databases.primary
        let isSQLite: Bool
        if case .sqlite(let path) = primary.url.kind {
            isSQLite = true
            if path != ":memory:" {
                try FileManager.default.createDirectory(
                    at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
            }
        } else {
            isSQLite = false
        }
        let directory = MigrationDirectory(
            url: configuration.project.schemaSettings.migrationsURL(
                in: configuration.projectDirectory,
                databaseIsSQLite: isSQLite
            )
        )
        let files = try directory.migrations(for: isSQLite ? .sqlite : .postgres)
        if options.deployMigrations {
            let result = try await GuardedDatabase.withSession(primary, owner: configuration.owner) { session in
                try await MigrationDeployer(session: session, files: files).deploy { name in
                    logger.info("applying migration", metadata: ["migration": .string(name)])
                }
            }
            logger.info(
                "migrations deployed",
                metadata: [
                    "applied": .stringConvertible(result.applied.count), "total": .stringConvertible(files.count),
                ]
            )
        }
        try await ServerLoginCheck.run(configuration, deploying: options.deployMigrations, logger: logger)
        let database = try await RouterFactory.make(
            for: configuration,
            options: options.routing,
            logger: databaseLogger(logger, configuration)
        )
        return WenwexPlatform(
            configuration: configuration,
            database: database,
            migrations: files,
            registry: options.registry ?? sharedRegistry,
            logger: logger
        )
    }

    /// The logger the router and the database drivers get: `DATABASE_LOG_LEVEL` when set, else
    /// `logger`'s level but never below `info`, so `LOG_LEVEL=debug` debugs the app without a
    /// line per pooled connection and query from PostgresNIO.
    public static func databaseLogger(_ logger: Logger, _ configuration: WenwexConfiguration) -> Logger {
        var databaseLogger = logger
        let asked = (configuration.string("DATABASE_LOG_LEVEL") ?? configuration.rawValue("DATABASE_LOG_LEVEL")?.value)
            .flatMap(Logger.Level.init(rawValue:))
        databaseLogger.logLevel = asked ?? max(logger.logLevel, .info)
        return databaseLogger
    }

    /// The process's registry, bootstrapped as swift-metrics' backend the first time it is
    /// used (swift-metrics takes one backend per process), so the router's node gauges and the
    /// request metrics land on the same `/metrics` page.
    public static let sharedRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The Wenwex middleware (``Hummingbird/Router/addWenwexMiddleware(registry:)``) and the
    /// operations routes (`/healthz`, `/readyz`, `/metrics`) for this platform's database.
    /// Add an app's own middleware (authentication) after this call, so it runs inside them.
    public func install<Context: WenwexRequestContext>(on router: Router<Context>) {
        router.addWenwexMiddleware(registry: registry)
        router.addOperationsRoutes(database: database, migrations: migrations, registry: registry)
    }

    /// The port to listen on: `port`, else `PORT`, else 8080.
    public func listenPort(_ port: Int? = nil) -> Int {
        port ?? configuration.int("PORT") ?? configuration.rawValue("PORT").flatMap { Int($0.value) } ?? 8080
    }

    /// A Hummingbird application serving `router` with the database router as its service:
    /// SIGTERM stops accepting connections, drains in-flight requests, then closes the pools.
    /// A ``ServerHeartbeat`` reports the server's migration head, for `migrate deploy --contract`.
    public func makeApplication<Responder: HTTPResponderBuilder>(
        router: Responder,
        host: String = "127.0.0.1",
        port: Int? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol
    where Responder.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let port = listenPort(port)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "wenwex"),
            services: [database, ServerHeartbeat(database: database, migrations: migrations, logger: logger)],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
