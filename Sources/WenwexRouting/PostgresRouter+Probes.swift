import PostgresNIO
import Synchronization
import WenwexSQL

/// Health: the probe loop, ejection and re-admission of `PostgresRouter`'s nodes.
extension PostgresRouter {
    // MARK: Health

    /// Takes `node` out of rotation after a failed request until a probe succeeds again.
    func eject(_ node: Node, reason: String) {
        let (before, after) = node.state.update { $0.markUnreachable(reason) }
        report(node, before: before, after: after)
    }

    func probeLoop() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let primaryPosition = await probe(primary, primaryPosition: nil)
            await withDiscardingTaskGroup { group in
                for replica in replicas {
                    group.addTask { _ = await self.probe(replica, primaryPosition: primaryPosition) }
                }
            }
            try? await Task.sleep(for: options.probeInterval)
        }
    }

    /// Probes `node` and updates its health; returns the primary's insert position when
    /// probing the primary.
    private func probe(_ node: Node, primaryPosition: ConsistencyToken?) async -> ConsistencyToken? {
        do {
            let sample = try await withProbeTimeout { try await self.sample(node) }
            var reason: String?
            var lagBytes: UInt64?
            var lagSeconds: Double?
            switch node.state.role {
            case .primary:
                if sample.inRecovery { reason = "the primary is in recovery (read-only)" }
            case .replica:
                if !sample.inRecovery {
                    reason = "not in recovery: promoted or not a replica"
                } else if let primaryPosition {
                    lagBytes =
                        primaryPosition.position > sample.position.position
                        ? primaryPosition.position - sample.position.position : 0
                    lagSeconds = lagBytes == 0 ? 0 : sample.replayAge
                }
            }
            let (before, after) = node.state.update {
                $0.probeSucceeded = true
                $0.lagBytes = lagBytes
                $0.lagSeconds = lagSeconds
                $0.isFresh =
                    (lagBytes ?? 0) <= options.maximumLagBytes && (lagSeconds ?? 0) <= options.maximumLagSeconds
                $0.roleOrLagReason = reason
            }
            if node.state.role == .replica { node.state.observeReplay(sample.position) }
            if let lagBytes { node.state.metrics.lagBytes.record(Int64(clamping: lagBytes)) }
            if let lagSeconds { node.state.metrics.lagSeconds.record(lagSeconds) }
            report(node, before: before, after: after)
            return node.state.role == .primary ? sample.position : nil
        } catch {
            let reason = "probe failed: \(DatabaseErrorText.describe(error))"
            let (before, after) = node.state.update { $0.markUnreachable(reason) }
            // Drop the probe connection (closed first: PostgresNIO asserts that connections are
            // closed before they are released) so the next probe reconnects.
            if let broken = node.probeConnection.withLock({ $0.take() }) {
                try? await broken.close()
            }
            report(node, before: before, after: after)
            return nil
        }
    }

    private func report(_ node: Node, before: NodeHealth, after: NodeHealth) {
        node.report(before: before, after: after)
    }

    private struct Sample {
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

    private func withProbeTimeout<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws
        -> Value
    {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await body() }
            group.addTask { [timeout = options.probeTimeout] in
                try await Task.sleep(for: timeout)
                return nil
            }
            guard let first = try await group.next(), let value = first else {
                group.cancelAll()
                throw ProbeTimedOut()
            }
            group.cancelAll()
            return value
        }
    }
}
