import Foundation
public import Hummingbird
public import Logging
import NIOCore
public import Prometheus
public import ServiceLifecycle
import WenwexEdge
import WenwexHummingbird
public import WenwexMigrate
public import WenwexRouting
import WenwexStorage

/// The WENWEX reference server: the marketplace API over a `DatabaseRouter`.
///
/// `makeApplication` only assembles; the caller owns start-up policy (configuration checks, the
/// cross-environment guard, `--migrate`) so tests, `wenwex serve` and `wenwex up` share one
/// server and differ only in how they prepare the database.
public enum MarketplaceServer {
    /// The Hummingbird application: routes, middleware, and the database router as a service,
    /// so SIGTERM stops accepting connections, finishes in-flight requests, then closes the
    /// database pools (the service group shuts the server down first, the router after it).
    public static func makeApplication(
        settings: ServerSettings,
        database: any DatabaseRouter,
        migrations: [MigrationFile],
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        logger: Logger,
        services: [any Service] = [],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let bans = BanFeed()
        let router = try await makeRouter(
            settings: settings,
            database: database,
            migrations: migrations,
            registry: registry,
            bans: bans
        )
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(settings.host, port: settings.port),
                serverName: "wenwex"
            ),
            services: [
                database,
                BanFeedRefresh(
                    feed: bans,
                    store: MarketplaceStore(database: database),
                    logger: logger,
                    tailInterval: settings.banChangesInterval,
                    reloadInterval: settings.banReloadInterval
                ),
                ServerHeartbeat(database: database, migrations: migrations, logger: logger),
                ResumableUploadSweep(uploads: try settings.resumableUploads(), logger: logger),
            ]
                + services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
            logger: logger
        )
    }

    static func makeRouter(
        settings: ServerSettings,
        database: any DatabaseRouter,
        migrations: [MigrationFile],
        registry: PrometheusCollectorRegistry,
        bans: BanFeed = BanFeed()
    ) async throws -> MarketplaceRouter {
        let store = MarketplaceStore(database: database)
        let sessions = await SessionTokens(secret: settings.jwtSecret, lifetime: settings.sessionLifetime)
        let passwords = PasswordHasher(cost: settings.bcryptCost)
        let images = ImageStore(objects: try settings.imageObjects())
        let release = ImageRelease(
            images: images,
            purges: PurgePublisher(sinks: settings.purgeSinks),
            logger: Logger(label: "wenwex.images")
        )
        let router = MarketplaceRouter(context: MarketplaceRequestContext.self)
        // Middleware wraps every route, unmatched ones included, outermost first: the request
        // id and log line see the final status, metrics see problems as their status codes.
        router.addWenwexMiddleware(registry: registry)
        router.add(
            middleware: AuthenticationMiddleware(
                sessions: sessions,
                store: store,
                edgeIdentity: settings.edgeIdentity,
                edgeNodes: settings.edgeNodes
            )
        )
        router.addOperationsRoutes(database: database, migrations: migrations, registry: registry)
        AuthRoutes(store: store, passwords: passwords, sessions: sessions, settings: settings).register(on: router)
        UserRoutes(store: store, passwords: passwords, settings: settings, bans: bans).register(on: router)
        EdgeRoutes(feed: bans, store: store, token: settings.edgeToken, settings: settings).register(on: router)
        ProductRoutes(store: store, settings: settings, release: release).register(on: router)
        CommentRoutes(store: store, settings: settings).register(on: router)
        ImageRoutes(store: store, images: images, settings: settings, release: release).register(on: router)
        OrderRoutes(store: store, settings: settings).register(on: router)
        FileRoutes(objects: images.objects, signer: settings.urlSigner, settings: settings).register(on: router)
        UploadRoutes(uploads: try settings.resumableUploads()).register(on: router)
        return router
    }
}
