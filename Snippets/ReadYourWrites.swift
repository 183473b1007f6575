// Writes go to the primary, reads to a replica that has the client's last write.
import Logging
import WenwexConfig
import WenwexRouting
import WenwexSQL

func readYourWrites(configuration: WenwexConfiguration) async throws {
    // snippet.router
    // The cross-environment guard reads every database's identity stamp first: a prod
    // configuration pointed at a dev database throws here.
    let router = try await RouterFactory.make(for: configuration, logger: Logger(label: "app"))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await router.run() }  // pools and health probes

        let title = "Desk lamp"
        let written = try await router.write { session in
            try await session.execute("INSERT INTO \(identifier: "Product") (title) VALUES (\(title))")
        }
        // `written.token` is the write's position; a read after it waits for a replica that
        // has replayed that far (or goes to the primary), so the user sees their own write.
        let count = try await router.read(after: written.token) { session in
            try await session.query("SELECT COUNT(*) FROM \(identifier: "Product")").first?[0].integer ?? 0
        }
        print("products:", count)
        group.cancelAll()
    }
    // snippet.end
}
