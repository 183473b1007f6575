import Metrics

/// One node's swift-metrics instruments, created once per router so the request path only
/// increments (exported by whatever backend the server bootstraps, e.g. swift-prometheus).
struct NodeMetrics: Sendable {
    let reads: Counter
    let writes: Counter
    let ejections: Counter
    let available: Gauge
    let degraded: Gauge
    let lagBytes: Gauge
    let lagSeconds: Gauge

    init(node: String) {
        reads = Counter(label: "wenwex_routing_queries_total", dimensions: [("node", node), ("kind", "read")])
        writes = Counter(label: "wenwex_routing_queries_total", dimensions: [("node", node), ("kind", "write")])
        ejections = Counter(label: "wenwex_routing_ejections_total", dimensions: [("node", node)])
        available = Gauge(label: "wenwex_routing_node_available", dimensions: [("node", node)])
        degraded = Gauge(label: "wenwex_routing_node_degraded", dimensions: [("node", node)])
        lagBytes = Gauge(label: "wenwex_routing_replica_lag_bytes", dimensions: [("node", node)])
        lagSeconds = Gauge(label: "wenwex_routing_replica_lag_seconds", dimensions: [("node", node)])
    }
}

/// Reads that went to the primary because no replica could serve them, by reason.
struct FallbackMetrics: Sendable {
    /// No healthy, fresh-enough replica.
    let noReplica = Counter(label: "wenwex_routing_fallbacks_total", dimensions: [("reason", "no_replica")])
    /// No replica caught up with the read's token in time.
    let tokenTimeout = Counter(label: "wenwex_routing_fallbacks_total", dimensions: [("reason", "token_timeout")])
}
