/// When a node counts as slow, as failing, or as gone: the thresholds ``NodeHealth`` applies,
/// taken from ``RoutingOptions``.
struct HealthPolicy: Sendable {
    /// The shortest probe timeout; the adaptive timeout never goes below it.
    var probeTimeoutFloor: Duration
    /// The adaptive timeout is this many times the node's recent p99 probe latency.
    var slowProbeMultiple: Int
    /// Consecutive failed probes (within `failureWindow`) that take a node out of rotation.
    var failureThreshold: Int
    /// Failures further apart than this do not add up.
    var failureWindow: Duration
    /// A probe still unanswered after this long means the node is gone, not slow.
    var unresponsiveLimit: Duration

    init(_ options: RoutingOptions) {
        probeTimeoutFloor = options.probeTimeout
        slowProbeMultiple = options.slowProbeMultiple
        failureThreshold = max(1, options.failureThreshold)
        failureWindow = options.failureWindow
        unresponsiveLimit = max(options.unresponsiveLimit, options.probeTimeout)
    }
}
