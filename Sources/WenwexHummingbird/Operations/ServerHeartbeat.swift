import Foundation
public import Logging
public import ServiceLifecycle
public import WenwexMigrate
public import WenwexRouting
import WenwexSQL

/// Reports this server and the migration head it was built for to the database's
/// ``WenwexMigrate/ServerRegistry`` every ``interval``, and takes it off on a graceful shutdown.
///
/// This is what lets `wenwex migrate deploy --contract` wait until no server still runs a
/// release that reads what a contract migration removes. Run it after the database router in
/// the service group: the group stops services in reverse order, so the last report is
/// removed while the pools are still open. A failed report is logged, never fatal: the server
/// keeps serving, and only stops counting as running once its reports age out.
public struct ServerHeartbeat: Service {
    public let database: any DatabaseRouter
    /// The last migration the build shipped with.
    public let migrationHead: String?
    /// Unique per process: host, process id and a random suffix.
    public let instance: String
    public var interval: Duration
    let logger: Logger

    public init(
        database: any DatabaseRouter,
        migrations: [MigrationFile],
        interval: Duration = .seconds(10),
        logger: Logger
    ) {
        self.database = database
        self.migrationHead = migrations.last?.name
        self.instance =
            "\(Self.hostName()):\(ProcessInfo.processInfo.processIdentifier):"
            + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { [database, instance, migrationHead, interval, logger] in
            var failing = false
            while !Task.isCancelled {
                do {
                    _ = try await database.write { session in
                        try await ServerRegistry(session).report(instance: instance, migrationHead: migrationHead)
                    }
                    if failing { logger.info("server registry reachable again", metadata: ["instance": "\(instance)"]) }
                    failing = false
                } catch {
                    // Once per outage, not once per beat.
                    if !failing {
                        logger.warning(
                            "could not report to the server registry; migrate deploy --contract cannot see this server",
                            metadata: ["instance": "\(instance)", "error": "\(DatabaseErrorText.describe(error))"]
                        )
                    }
                    failing = true
                }
                try? await Task.sleep(for: interval)
            }
        }
        _ = try? await database.write { session in try await ServerRegistry(session).remove(instance: instance) }
    }

    /// `gethostname(2)`, not `ProcessInfo.hostName`, which may ask DNS for a canonical name and
    /// hold up start-up on a machine without a resolver.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
