import Foundation
import Logging
import Synchronization
import Testing
import WenwexConfig
import WenwexRouting
import WenwexServer

/// Keeps every log record, so a test can read what the server logged.
final class CapturedLogs: Sendable {
    struct Record: Sendable {
        var message: String
        var metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])

    var all: [Record] { records.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "captured") { _ in Handler(logs: self) }
    }

    struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            merged.merge(event.metadata ?? [:]) { _, new in new }
            let record = Record(message: event.message.description, metadata: merged.mapValues { "\($0)" })
            logs.records.withLock { $0.append(record) }
        }
    }
}

@Suite struct RequestLogTests {
    @Test func eachRequestIsLoggedOnceWithItsIDUserAndStatusAndNoSecrets() async throws {
        try await withTemporaryDirectory { directory in
            let (router, migrations) = try await migratedSQLite(in: directory)
            let logs = CapturedLogs()
            try await withRunningServer(
                database: router,
                migrations: migrations,
                settings: testSettings(storage: directory),
                logger: logs.logger()
            ) { client in
                let userID = try #require(try await client.signUp("logged@example.com")["id"] as? Int)
                let response = try await client.send(
                    .GET,
                    "/products?token=hunter2secret&q=lamp",
                    headers: [("X-Request-Id", "trace-42")]
                )
                #expect(response.status == 200)

                let lines = logs.all.filter { $0.message == "request" && $0.metadata["request_id"] == "trace-42" }
                #expect(lines.count == 1)
                let line = try #require(lines.first)
                #expect(line.metadata["status"] == "200")
                #expect(line.metadata["method"] == "GET")
                #expect(line.metadata["user_id"] == String(userID))
                #expect(line.metadata["path"]?.contains("q=lamp") == true)
                #expect(line.metadata["path"]?.contains("hunter2secret") == false)
                #expect(logs.all.allSatisfy { !$0.metadata.values.contains { $0.contains("hunter2secret") } })
                // The password never reaches a log line either.
                #expect(logs.all.allSatisfy { !$0.metadata.values.contains { $0.contains("correct horse") } })
            }
        }
    }
}
