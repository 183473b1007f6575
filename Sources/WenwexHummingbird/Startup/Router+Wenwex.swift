public import Hummingbird
public import Prometheus
public import WenwexMigrate
public import WenwexRouting

extension Router {
    /// Request id and log line, metrics, problem+json errors and the consistency token, in
    /// that order (outermost first), so the log line and the metrics see problems as their
    /// final status, and handlers see the client's consistency token.
    public func addWenwexMiddleware(registry: PrometheusCollectorRegistry = WenwexPlatform.sharedRegistry)
    where Context: WenwexRequestContext {
        add(middleware: RequestIDMiddleware())
        add(middleware: RequestMetricsMiddleware(registry: registry))
        add(middleware: ProblemMiddleware())
        add(middleware: ConsistencyMiddleware())
    }

    /// `/healthz`, `/readyz` (the primary answers and every shipped migration is applied) and
    /// `/metrics`.
    public func addOperationsRoutes(
        database: any DatabaseRouter,
        migrations: [MigrationFile],
        registry: PrometheusCollectorRegistry = WenwexPlatform.sharedRegistry
    ) {
        OperationsRoutes(readiness: Readiness(database: database, migrations: migrations), registry: registry)
            .register(on: self)
    }
}
