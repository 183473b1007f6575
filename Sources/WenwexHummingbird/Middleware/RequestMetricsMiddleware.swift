import HTTPTypes
public import Hummingbird
public import Prometheus

/// Request counts, durations and in-flight requests, recorded straight into the server's
/// Prometheus registry (labelled by route pattern, not raw path, so ids do not explode the
/// series count).
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry
    let inFlight: Gauge

    static var buckets: [Duration] { requestDurationBuckets }

    /// Records into `registry`, the one `/metrics` serves.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.inFlight = registry.makeGauge(
            descriptor: .init(metricName: "http_requests_in_flight", unitName: "", helpText: "Requests being served")
        )
    }

    /// Counts the request and its duration under its route pattern and final status.
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        inFlight.increment()
        defer { inFlight.decrement() }
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            record(request, context, status: 500, duration: ContinuousClock.now - started)
            throw error
        }
        record(request, context, status: response.status.code, duration: ContinuousClock.now - started)
        return response
    }

    func record(_ request: Request, _ context: Context, status: Int, duration: Duration) {
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        registry.makeCounter(
            descriptor: .init(metricName: "http_requests", unitName: "total", helpText: "HTTP requests served"),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(
                metricName: "http_request_duration",
                unitName: "seconds",
                helpText: "Time to produce a response"
            ),
            labels: [("method", method), ("route", route)],
            buckets: Self.buckets
        ).record(duration)
    }
}

/// From 1 ms to 5 s: an API request's range, with the SLO thresholds (100 ms, 250 ms) as edges.
private let requestDurationBuckets: [Duration] = [
    .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
    .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    .seconds(5),
]
