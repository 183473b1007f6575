import Foundation
public import Logging
import ServiceLifecycle
import Synchronization
public import WenwexSQL

/// The router's API over the embedded SQLite default: one writer connection and a pool of
/// reader connections on one file in WAL mode, so application code is identical in dev and
/// prod.
///
/// In WAL mode a reader that starts after a commit sees it, so every token is satisfied at
/// once; tokens still count commits so they compare like PostgreSQL's.
public final class SQLiteRouter: DatabaseRouter {
    private let writer: SessionPool
    private let readers: SessionPool
    private let writerState = NodeState(name: "writer", role: .primary)
    private let readerStates: [NodeState]
    private let commits = Atomic<UInt64>(0)

    private init(writer: SQLiteSession, readers: [SQLiteSession]) {
        self.writer = SessionPool([writer])
        self.readers = SessionPool(readers)
        self.readerStates = [NodeState(name: "readers", role: .replica)]
    }

    /// Opens `path` (created if missing) with one writer and `readers` reader connections.
    public static func open(path: String, readers: Int = 4, logger: Logger) async throws -> SQLiteRouter {
        if path != ":memory:" {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
        }
        let writer = try await SQLiteSession.open(path: path, readOnly: false, logger: logger)
        var readerSessions: [SQLiteSession] = []
        for _ in 0..<max(1, readers) {
            readerSessions.append(try await SQLiteSession.open(path: path, readOnly: true, logger: logger))
        }
        return SQLiteRouter(writer: writer, readers: readerSessions)
    }

    /// Runs `body` on the single writer connection, one caller at a time in arrival order; the token
    /// counts the router's completed writes.
    public func write<Value: Sendable>(
        _ body: (any SQLSession) async throws -> Value
    ) async throws -> Written<Value> {
        try await onWriter(transactional: false, body)
    }

    /// Like ``write(_:)``, inside `BEGIN IMMEDIATE … COMMIT`, which takes SQLite's write lock up front;
    /// rolled back when `body` throws.
    public func transaction<Value: Sendable>(
        _ body: (any SQLSession) async throws -> Value
    ) async throws -> Written<Value> {
        try await onWriter(transactional: true, body)
    }

    private func onWriter<Value: Sendable>(
        transactional: Bool,
        _ body: (any SQLSession) async throws -> Value
    ) async throws -> Written<Value> {
        try await writerState.tracking {
            try await writer.with { session in
                let value =
                    transactional
                    ? try await session.inTransaction(begin: "BEGIN IMMEDIATE") { try await body(session) }
                    : try await body(session)
                let position = commits.add(1, ordering: .sequentiallyConsistent).newValue
                return Written(value: value, token: ConsistencyToken(position: position))
            }
        }
    }

    /// Runs `body` on one of the reader connections; `token` is not checked, since in WAL mode a read
    /// that starts after a commit sees it.
    public func read<Value: Sendable>(
        after token: ConsistencyToken?,
        _ body: (any SQLSession) async throws -> Value
    ) async throws -> Value {
        try await readerStates[0].tracking {
            try await readers.with { session in try await body(session) }
        }
    }

    /// Two entries that never leave rotation: `writer` (the primary) and `readers` (all reader
    /// connections).
    public func status() -> [NodeStatus] {
        [writerState.status()] + readerStates.map { $0.status() }
    }

    /// Waits for graceful shutdown or cancellation, then closes every connection.
    public func run() async throws {
        try? await gracefulShutdown()
        // SQLiteNIO skips work on a cancelled task, and this one is cancelled by now: close from
        // a fresh task so the connections really close.
        await Task { [writer, readers] in
            await writer.closeAll()
            await readers.closeAll()
        }.value
    }
}

/// A fixed set of sessions handed out one caller at a time, waiting callers served in order.
/// A waiting caller whose task is cancelled stops waiting with a `CancellationError`.
private actor SessionPool {
    private var idle: [SQLiteSession]
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<SQLiteSession, any Error>)] = []
    private var nextWaiterID: UInt64 = 0
    private let all: [SQLiteSession]

    init(_ sessions: [SQLiteSession]) {
        self.idle = sessions
        self.all = sessions
    }

    private func acquire() async throws -> SQLiteSession {
        if let session = idle.popLast() { return session }
        try Task.checkCancellation()
        nextWaiterID += 1
        let id = nextWaiterID
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { waiters.append((id, $0)) }
        } onCancel: {
            // Runs after the waiter is registered: this actor is busy until acquire suspends.
            Task { await self.stopWaiting(id) }
        }
    }

    private func stopWaiting(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func release(_ session: SQLiteSession) {
        if waiters.isEmpty {
            idle.append(session)
        } else {
            waiters.removeFirst().continuation.resume(returning: session)
        }
    }

    nonisolated func with<Value: Sendable>(_ body: (SQLiteSession) async throws -> Value) async throws -> Value {
        let session = try await acquire()
        do {
            let value = try await body(session)
            await release(session)
            return value
        } catch {
            await release(session)
            throw error
        }
    }

    func closeAll() async {
        for session in all {
            try? await session.close()
        }
    }
}
