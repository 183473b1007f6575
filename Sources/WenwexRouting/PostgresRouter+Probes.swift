import PostgresNIO
import Synchronization
import WenwexSQL

/// Health: the probe loops, ejection and re-admission of `PostgresRouter`'s nodes.
extension PostgresRouter {
    // MARK: Health

    /// Takes `node` out of rotation after a request met a broken connection, until a probe
    /// succeeds again.
    func eject(_ node: Node, reason: String) {
        let (before, after) = node.state.update { $0.requestFailed(reason: reason) }
        node.report(before: before, after: after)
    }

    /// Probes `node` every `probeInterval` until the task is cancelled. Each node has a loop of
    /// its own, so a stalled node delays no other node's probes.
    func probeLoop(_ node: Node) async {
        while !Task.isCancelled {
            await probe(node)
            do {
                try await Task.sleep(for: options.probeInterval)
            } catch {
                return
            }
        }
    }

    private enum ProbeEvent: Sendable {
        case answered(Sample, latency: Duration)
        case failed(any Error)
        /// The adaptive timeout passed with the probe still out.
        case slow
        /// The unresponsive limit passed with the probe still out.
        case unanswered
    }

    /// One probe of `node`: waits for its answer however long it takes, marking the node slow
    /// once the adaptive timeout passes and gone once the unresponsive limit does.
    func probe(_ node: Node) async {
        let clock = ContinuousClock()
        let started = clock.now
        let health = node.state.snapshot
        let timeout = health.probeTimeout
        let limit = health.policy.unresponsiveLimit
        let outcome = await withTaskCancellationHandler {
            await withTaskGroup(of: ProbeEvent.self) { group in
                group.addTask {
                    do {
                        let sample = try await self.sample(node)
                        return .answered(sample, latency: started.duration(to: clock.now))
                    } catch {
                        return .failed(error)
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return .slow
                }
                var outcome: ProbeEvent?
                while let event = await group.next() {
                    guard outcome == nil, !Task.isCancelled else { continue }
                    switch event {
                    case .slow:
                        let (before, after) = node.state.update { $0.probeIsSlow(at: clock.now) }
                        node.report(before: before, after: after)
                        group.addTask {
                            try? await Task.sleep(for: limit - timeout)
                            return .unanswered
                        }
                    case .unanswered:
                        outcome = event
                        // PostgresNIO's queries do not observe cancellation: closing the
                        // connection fails the one in flight (cancelling ends a connect attempt).
                        await dropProbeConnection(node)
                        group.cancelAll()
                    case .answered, .failed:
                        outcome = event
                        group.cancelAll()
                    }
                }
                return outcome ?? .unanswered
            }
        } onCancel: {
            // Shutting down: do not wait for a stalled node to answer.
            let connection = node.probeConnection.withLock { $0 }
            let closing: EventLoopFuture<Void>? = connection?.close()
            _ = closing
        }
        guard !Task.isCancelled else { return }
        switch outcome {
        case .answered(let sample, let latency):
            record(sample, latency: latency, of: node)
        case .failed(let error):
            let kind = FailureKind(error)
            let (before, after) = node.state.update {
                $0.probeFailed(
                    kind == .statement ? .node : kind,
                    reason: "probe failed: \(DatabaseErrorText.describe(error))",
                    at: clock.now
                )
            }
            await dropProbeConnection(node)
            node.report(before: before, after: after)
        case .unanswered, .slow:
            let (before, after) = node.state.update { $0.probeUnanswered() }
            node.report(before: before, after: after)
        }
    }

    /// Applies a probe's answer: reachability, role, and (for replicas) lag behind the primary.
    private func record(_ sample: Sample, latency: Duration, of node: Node) {
        var reason: String?
        var lagBytes: UInt64?
        var lagSeconds: Double?
        switch node.state.role {
        case .primary:
            if sample.inRecovery { reason = "the primary is in recovery (read-only)" }
            if !sample.inRecovery { observePrimaryPosition(sample.position) }
        case .replica:
            let primaryPosition = latestPrimaryPosition
            if !sample.inRecovery {
                reason = "not in recovery: promoted or not a replica"
            } else if primaryPosition > 0 {
                lagBytes = primaryPosition > sample.position.position ? primaryPosition - sample.position.position : 0
                lagSeconds = lagBytes == 0 ? 0 : sample.replayAge
            }
        }
        let (before, after) = node.state.update {
            $0.probeSucceeded(latency: latency)
            $0.lagBytes = lagBytes
            $0.lagSeconds = lagSeconds
            $0.isFresh =
                (lagBytes ?? 0) <= options.maximumLagBytes && (lagSeconds ?? 0) <= options.maximumLagSeconds
            $0.roleOrLagReason = reason
        }
        if node.state.role == .replica { node.state.observeReplay(sample.position) }
        if let lagBytes { node.state.metrics.lagBytes.record(Int64(clamping: lagBytes)) }
        if let lagSeconds { node.state.metrics.lagSeconds.record(lagSeconds) }
        node.report(before: before, after: after)
    }

    /// Drops the probe connection (closed first: PostgresNIO asserts that connections are
    /// closed before they are released) so the next probe reconnects.
    func dropProbeConnection(_ node: Node) async {
        if let connection = node.probeConnection.withLock({ $0.take() }) {
            try? await connection.close()
        }
    }

    struct Sample: Sendable {
        var inRecovery: Bool
        /// Insert position on the primary, replay position on a replica.
        var position: ConsistencyToken
        /// Seconds since the last replayed transaction (replicas).
        var replayAge: Double
    }

    /// One probe query on the node's dedicated connection (opened on demand), outside the pool
    /// so probes work even when the pool is saturated.
    private func sample(_ node: Node) async throws -> Sample {
        let connection: PostgresConnection
        if let existing = node.probeConnection.withLock({ $0 }), !existing.isClosed {
            connection = existing
        } else {
            connection = try await PostgresConnection.connect(
                configuration: node.probeConfiguration,
                id: 0,
                logger: logger
            )
            node.probeConnection.withLock { $0 = connection }
        }
        let session = PostgresSession(connection: connection, logger: logger)
        let rows = try await session.query(
            """
            SELECT pg_is_in_recovery(),
                   (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END)::text,
                   COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)::float8
            """
        )
        guard let row = rows.first, case .bool(let inRecovery) = row[0], let text = row[1].text,
            let position = ConsistencyToken(text)
        else {
            throw RoutingConfigurationError(description: "unexpected probe result")
        }
        if case .double(let age) = row[2] {
            return Sample(inRecovery: inRecovery, position: position, replayAge: age)
        }
        return Sample(inRecovery: inRecovery, position: position, replayAge: 0)
    }
}
