/// Keeps the suite's heaviest tests (a million rows written, hundreds of thousands backfilled)
/// and its most timing-sensitive ones (frozen nodes, probes that must answer within a second)
/// from running at the same moment.
///
/// On two shared cores, a test that keeps PostgreSQL busy for twenty seconds reads to a probe
/// test as a stall of its own node. Each side runs its body through ``run(_:)``; the bodies run
/// one at a time, in the order they asked, while every other test goes on as before.
public actor ExclusiveTestWork {
    public static let shared = ExclusiveTestWork()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Runs `body` when no other exclusive body is running.
    public nonisolated func run<Result>(_ body: () async throws -> Result) async throws -> Result {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}

extension ExclusiveTestWork {
    /// For a heavy test's own database: new sessions build indexes and scan with one process,
    /// not PostgreSQL's parallel workers, so the test leaves the other core to the rest of the
    /// suite. Locks and plans keep their shape.
    public static let oneCoreDatabase = """
        DO $$ BEGIN
          EXECUTE format('ALTER DATABASE %I SET max_parallel_maintenance_workers = 0', current_database());
          EXECUTE format('ALTER DATABASE %I SET max_parallel_workers_per_gather = 0', current_database());
        END $$
        """
}
