import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import WenwexEdge

/// `WenwexBench edge-ban-propagation [--bans N]`: how long a ban on the origin takes to hold on
/// two edge nodes' ban lists, through the real long-poll over HTTP on loopback. The issue's
/// target is one second.
enum EdgeBanPropagationBenchmark {
    static func run(bans: Int) async throws {
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let feed = BanFeed()
        let token = "bench-edge-token-0123456789abcdef"
        let router = Router()
        router.get("_wenwex/edge/bans") { request, _ -> Response in
            await feed.response(to: request, token: token)
        }
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let origin = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { portSink.yield($0.localAddress?.port ?? 0) },
            logger: logger
        )
        let stores = [BanStore(), BanStore()]
        try await withThrowingTaskGroup(of: Void.self) { group in
            let originGroup = ServiceGroup(services: [origin], gracefulShutdownSignals: [], logger: logger)
            group.addTask { try await originGroup.run() }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next()!
            let feedURL = URL(string: "http://127.0.0.1:\(port)/_wenwex/edge/bans")!
            let syncs = stores.map { BanSync(store: $0, feed: feedURL, token: token, logger: logger) }
            let syncGroup = ServiceGroup(services: syncs, gracefulShutdownSignals: [], logger: logger)
            group.addTask { try await syncGroup.run() }
            while stores.contains(where: { $0.applied.version == nil }) { try await Task.sleep(for: .milliseconds(5)) }
            let clock = ContinuousClock()
            var times: [Double] = []
            for index in 0..<bans {
                let user = "user-\(index)"
                let started = clock.now
                feed.ban(user: user)
                while !stores.allSatisfy({ $0.isBanned(user: user) }) { await Task.yield() }
                let took = started.duration(to: clock.now)
                times.append(Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15)
                try await Task.sleep(for: .milliseconds(20))
            }
            times.sort()
            print(
                String(
                    format:
                        "ban propagation to 2 edge nodes over %d bans: median %.2f ms, p99 %.2f ms, max %.2f ms (target < 1000 ms)",
                    bans,
                    times[times.count / 2],
                    times[min(times.count - 1, times.count * 99 / 100)],
                    times.last!
                )
            )
            feed.finish()
            await syncGroup.triggerGracefulShutdown()
            await originGroup.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}
