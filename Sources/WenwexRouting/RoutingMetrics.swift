import Metrics

/// The router's swift-metrics instruments (exported by whatever backend the server installs,
/// e.g. swift-prometheus).
struct RoutingMetrics: Sendable {
    static func query(node: String, kind: String) -> Counter {
        Counter(label: "wenwex_routing_queries_total", dimensions: [("node", node), ("kind", kind)])
    }

    static func lagBytes(node: String) -> Gauge {
        Gauge(label: "wenwex_routing_replica_lag_bytes", dimensions: [("node", node)])
    }

    static func lagSeconds(node: String) -> Gauge {
        Gauge(label: "wenwex_routing_replica_lag_seconds", dimensions: [("node", node)])
    }

    static func ejection(node: String) -> Counter {
        Counter(label: "wenwex_routing_ejections_total", dimensions: [("node", node)])
    }

    static func available(node: String) -> Gauge {
        Gauge(label: "wenwex_routing_node_available", dimensions: [("node", node)])
    }

    /// Reads that went to the primary because no replica could serve them.
    static func fallback(reason: String) -> Counter {
        Counter(label: "wenwex_routing_fallbacks_total", dimensions: [("reason", reason)])
    }
}
