import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WenwexEdge

/// `wenwex edge`: a caching edge node in front of an origin.
struct EdgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edge",
        abstract: "Run a caching edge node (RFC 9111 shared cache, purge API, edge guards) in front of an origin.",
        discussion: """
            GET and HEAD are answered from a memory cache bounded in bytes, following the \
            origin's Cache-Control and CDN-Cache-Control (revalidation, stale-while-revalidate, \
            stale-if-error, Vary, byte ranges); one origin fetch serves every client asking for \
            the same cold object. Other methods pass through and invalidate what they changed.

            The purge API is POST /_wenwex/purge with {"tags": [...], "paths": [...], \
            "prefixes": [...]} and Authorization: Bearer $EDGE_PURGE_TOKEN; the origin sends it \
            when EDGE_PURGE_URLS lists this node. Without EDGE_PURGE_TOKEN purging is refused. \
            SIGTERM or SIGINT stops accepting connections and finishes requests in flight.
            """
    )

    @Option(help: "The origin's base URL, e.g. http://127.0.0.1:8080.")
    var origin: String

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8081

    @Option(help: "The memory cache's size in MiB.")
    var cacheMiB = 256

    @Option(help: "Responses larger than this many MiB stream through uncached (default: an eighth of the cache).")
    var maxObjectMiB: Int?

    @Option(help: "Seconds a response may be served past its lifetime while the origin cannot be reached.")
    var staleIfUnreachable = 86_400

    func validate() throws {
        guard let url = URL(string: origin), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--origin must be an http(s) URL such as http://127.0.0.1:8080, not '\(origin)'.")
        }
        guard cacheMiB > 0 else { throw ValidationError("--cache-mib must be at least 1.") }
        if let maxObjectMiB, maxObjectMiB <= 0 || maxObjectMiB > cacheMiB {
            throw ValidationError("--max-object-mib must be between 1 and --cache-mib (\(cacheMiB)).")
        }
    }

    func run() async throws {
        var configuration = EdgeConfiguration(origin: URL(string: origin)!)
        configuration.cacheBytes = cacheMiB << 20
        configuration.maximumObjectSize = maxObjectMiB.map { $0 << 20 }
        configuration.staleIfUnreachableSeconds = Double(staleIfUnreachable)
        if let token = ProcessInfo.processInfo.environment["EDGE_PURGE_TOKEN"], !token.isEmpty {
            guard token.count >= 16 else {
                throw CLIFailure(
                    "EDGE_PURGE_TOKEN is shorter than 16 characters.",
                    fix: "use a long random token, e.g. `openssl rand -hex 32`, the same on the origin and every edge node",
                    code: .usage
                )
            }
            configuration.purgeToken = token
        }
        var logger = Logger(label: "wenwex.edge")
        logger.logLevel = .info
        let output = Output(json: false)
        let origin = origin
        let host = host
        let node = EdgeNode(configuration: configuration, host: host, port: port, logger: logger) { port in
            output.line("Edge node on http://\(host):\(port), caching \(origin)")
        }
        let group = ServiceGroup(services: [node], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
