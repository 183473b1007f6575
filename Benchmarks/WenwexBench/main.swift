import Foundation
import Logging
import PostgresNIO
import WenwexConfig
import WenwexRouting
import WenwexSQL
import WenwexTestSupport

// `WenwexBench dotenv`: Wenwex's dotenv parser against swift-configuration's reader.
// `WenwexBench edge-bans [--entries N]`: ban-list lookup time and memory at N entries.
// `WenwexBench edge-guards [--hit-us X]`: the guard pipeline's time per hit, in process.
// `WenwexBench edge-ban-propagation [--bans N]`: origin ban → two edge nodes' lists, timed.
// `WenwexBench edge-limit --port P --dir D`: D's files from memory on bare HummingbirdCore.
// `WenwexBench migrate`: diff + render of a 500-table schema, and deploying 200 migrations
// against psql.
// `WenwexBench schema [--models N] [--runs N]`: reading, parsing, validating and lowering a
// generated schema of N models (1,000), against reading the file.
// `WenwexBench server [--seconds N] [--connections N] [--postgres]`: the marketplace server under
// wrk against a bare Hummingbird handler returning the same JSON (SQLite, or PostgreSQL with a
// streaming replica).
// `WenwexBench [--seconds N] [--workers N,N]`: read throughput and latency through the router,
// against PostgresNIO straight to one replica and against pgpool-II doing the same split, all
// on one cluster (a primary and two streaming replicas) in one run.

let arguments = CommandLine.arguments
if arguments.dropFirst().first == "dotenv" {
    try await DotenvBenchmark.run()
    exit(0)
}
if arguments.dropFirst().first == "edge-bans" {
    let entries = arguments.firstIndex(of: "--entries").flatMap {
        $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil
    }
    EdgeBanBenchmark.run(entries: entries ?? 1_000_000)
    exit(0)
}
if arguments.dropFirst().first == "edge-guards" {
    let hit = arguments.firstIndex(of: "--hit-us").flatMap {
        $0 + 1 < arguments.count ? Double(arguments[$0 + 1]) : nil
    }
    await EdgeGuardBenchmark.run(hitMicroseconds: hit)
    exit(0)
}
if arguments.dropFirst().first == "edge-ban-propagation" {
    let bans = arguments.firstIndex(of: "--bans").flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil }
    try await EdgeBanPropagationBenchmark.run(bans: bans ?? 200)
    exit(0)
}
if arguments.dropFirst().first == "edge-limit" {
    let port =
        arguments.firstIndex(of: "--port").flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? 8090
    let directory = arguments.firstIndex(of: "--dir").map { arguments[$0 + 1] } ?? "."
    try await EdgeLimitPeer.run(port: port, directory: directory)
    exit(0)
}
if arguments.dropFirst().first == "migrate" {
    try await MigrateBenchmark.run()
    exit(0)
}
if arguments.dropFirst().first == "server" {
    let value = { (name: String, fallback: Int) -> Int in
        arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? fallback
    }
    try await ServerBenchmark.run(
        seconds: value("--seconds", 10),
        connections: value("--connections", 32),
        postgres: arguments.contains("--postgres")
    )
    exit(0)
}
if arguments.dropFirst().first == "schema" {
    let value = { (name: String, fallback: Int) -> Int in
        arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? fallback
    }
    try SchemaBenchmark.run(models: value("--models", 1_000), repetitions: value("--runs", 21))
    exit(0)
}
func option(_ name: String, default value: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
    return arguments[index + 1]
}
let runSeconds = Int(option("--seconds", default: "5")) ?? 5
let workerCounts = option("--workers", default: "1,16").split(separator: ",").compactMap { Int($0) }
let logger = Logger(label: "wenwex.bench", factory: { _ in SwiftLogNoOpLogHandler() })
let rows = 1_000
let database = "bench"

print("starting a primary and two streaming replicas…")
let cluster = try await PostgresCluster.start(replicas: 2)
var pgpoolDirectory: String?
do {
    // Not the `postgres` database: pgpool-II never caches backend connections for it.
    _ = try await cluster.createDatabase(database)
    _ = try await cluster.psql(
        "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, \(rows)) g; ANALYZE items",
        database: database
    )
    try await cluster.waitForReplay()

    print("starting pgpool-II over the same cluster…")
    let pool = try await ChildProcess.run(
        "/usr/bin/env",
        ["bash", repositoryRoot() + "/scripts/pgpool-peer", "start", "--cluster-dir", cluster.directory]
    )
    guard pool.status == 0, let pgpoolPort = keyValue("PGPOOL_PORT", in: pool.stdout).flatMap(Int.init) else {
        throw BenchmarkError(description: "pgpool-peer failed:\n\(pool.stderr)")
    }
    pgpoolDirectory = keyValue("PGPOOL_DIR", in: pool.stdout)

    let query = "SELECT id, name FROM items WHERE id = $1"
    let endpoints = try DatabaseEndpoints(
        primary: endpoint(cluster.primary.port, .primary),
        replicas: cluster.replicas.map { try endpoint($0.port, .replica) }
    )
    var options = RoutingOptions()
    options.connectionsPerNode = 32
    let router = try PostgresRouter(endpoints: endpoints, options: options, logger: logger)
    // The same router over one replica: its own overhead against the direct client.
    let singleRouter = try PostgresRouter(
        endpoints: DatabaseEndpoints(primary: endpoints.primary, replicas: [endpoints.replicas[0]]),
        options: options,
        logger: logger
    )
    let direct = PostgresClient(
        configuration: try clientConfiguration(port: cluster.replicas[0].port),
        backgroundLogger: logger
    )
    let pgpool = PostgresClient(configuration: try clientConfiguration(port: pgpoolPort), backgroundLogger: logger)

    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await router.run() }
        group.addTask { try await singleRouter.run() }
        group.addTask { await direct.run() }
        group.addTask { await pgpool.run() }
        defer { group.cancelAll() }

        let contenders: [(String, @Sendable (Int) async throws -> Void)] = [
            (
                "PostgresNIO → replica1",
                { id in
                    _ = try await direct.withConnection { connection in
                        try await PostgresSession(connection: connection, logger: logger).query(
                            query,
                            [.integer(id % rows + 1)]
                        )
                    }
                }
            ),
            (
                "Wenwex router → replica1",
                { id in _ = try await singleRouter.read { try await $0.query(query, [.integer(id % rows + 1)]) } }
            ),
            (
                "Wenwex router → 2 replicas",
                { id in _ = try await router.read { try await $0.query(query, [.integer(id % rows + 1)]) } }
            ),
            (
                "pgpool-II → 2 replicas",
                { id in
                    _ = try await pgpool.withConnection { connection in
                        try await PostgresSession(connection: connection, logger: logger).query(
                            query,
                            [.integer(id % rows + 1)]
                        )
                    }
                }
            ),
        ]
        for workers in workerCounts {
            // Warm every pool and cache first. Then measure in interleaved one-second rounds
            // (A B C D A B C D …), so drift on a busy two-core machine hits every contender alike.
            for (name, operation) in contenders {
                _ = try await measure(name, workers: workers, duration: .seconds(1), operation)
            }
            var rounds: [[RunResult]] = Array(repeating: [], count: contenders.count)
            for _ in 0..<runSeconds {
                for (index, (name, operation)) in contenders.enumerated() {
                    rounds[index].append(try await measure(name, workers: workers, duration: .seconds(1), operation))
                }
            }
            report(rounds.map(RunResult.merging), workers: workers)
        }
    }
    let spread = router.status().filter { $0.role == .replica }.map { "\($0.name) \($0.queriesServed)" }
    print("router reads per replica: \(spread.joined(separator: ", "))")
} catch {
    print("benchmark failed: \(error)")
}
if let pgpoolDirectory {
    _ = try? await ChildProcess.run(
        "/usr/bin/env",
        ["bash", repositoryRoot() + "/scripts/pgpool-peer", "stop", "--dir", pgpoolDirectory]
    )
}
try await cluster.destroy()

// MARK: Helpers

func report(_ results: [RunResult], workers: Int) {
    print("")
    print("point reads, \(workers) concurrent worker\(workers == 1 ? "" : "s"), \(runSeconds) s each:")
    let baseline = results[0]
    let header = "contender".padding(toLength: 28, withPad: " ", startingAt: 0)
    print("\(header)  reads/s   p50 µs   p99 µs   throughput vs direct   p50 vs direct")
    for result in results {
        let name = result.name.padding(toLength: 28, withPad: " ", startingAt: 0)
        let ratio = result.throughput / baseline.throughput
        let p50Ratio = microseconds(result.percentile(0.5)) / microseconds(baseline.percentile(0.5))
        print(
            "\(name)  \(format(result.throughput, width: 7))  \(format(microseconds(result.percentile(0.5)), width: 7))  \(format(microseconds(result.percentile(0.99)), width: 7))   \(format(ratio, width: 6, decimals: 3))×                \(format(p50Ratio, width: 5, decimals: 3))×"
        )
    }
}

func format(_ value: Double, width: Int, decimals: Int = 0) -> String {
    let text = String(format: "%.\(decimals)f", value)
    return String(repeating: " ", count: max(0, width - text.count)) + text
}

func endpoint(_ port: Int, _ role: DatabaseEndpoints.Endpoint.Role) throws -> DatabaseEndpoints.Endpoint {
    .init(
        role: role,
        variable: role.rawValue,
        url: try DatabaseURL("postgresql://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"),
        source: .commandLine
    )
}

func clientConfiguration(port: Int) throws -> PostgresClient.Configuration {
    guard case .postgres(let location) = try endpoint(port, .replica).url.kind else {
        throw BenchmarkError(description: "the benchmark endpoint is not a PostgreSQL URL")
    }
    return try PostgresSettings.client(location, connectTimeout: .seconds(2), maximumConnections: 32)
}

func keyValue(_ key: String, in output: String) -> String? {
    output.split(separator: "\n").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
}

func repositoryRoot() -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .path
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
}
