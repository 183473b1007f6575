import ArgumentParser
import Foundation
import HTTPTypes
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

            Guards run before the cache, in this order: header hygiene (client copies of \
            X-Forwarded-*, X-Wenwex-* and x-middleware-subrequest are dropped), the ban list \
            (long-polled from the origin's /_wenwex/edge/bans with EDGE_PURGE_TOKEN), JWT \
            verification (HS256 with JWT_SECRET, ES256/RS256 with --jwks-url; the verified \
            user goes to the origin signed with EDGE_IDENTITY_SECRET), rate limits (local, or \
            shared through --redis), and maintenance mode (while --maintenance-file exists).
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

    @Option(help: "Keep a disk tier behind the memory cache in this directory (kept across restarts).")
    var diskCache: String?

    @Option(help: "The disk tier's size in MiB.")
    var diskCacheMiB = 1024

    @Option(help: "Seconds a response may be served past its lifetime while the origin cannot be reached.")
    var staleIfUnreachable = 86_400

    @Option(help: "The origin's JWKS, for ES256 / RS256 tokens (refetched when a token names an unknown key id).")
    var jwksUrl: String?

    @Flag(help: "Do not sync the ban list from the origin.")
    var noBanSync = false

    @Option(
        help: ArgumentHelp(
            "A rate limit: name,METHOD,/path-prefix,scope,limit/seconds (scope: address, user, user-or-address); repeatable.",
            valueName: "rule"
        )
    )
    var rateLimit: [String] = ["sign-in,POST,/auth/signin,address,10/60"]

    @Option(help: "Share rate limits across edge nodes through this Redis (redis://host:port).")
    var redis: String?

    @Option(help: "Ban list entries to load at start, one per line: user:<id>, an IP address or a CIDR range.")
    var bans: String?

    @Option(help: "Answer 503 to everything while this file exists.")
    var maintenanceFile: String?

    func validate() throws {
        _ = try rateLimit.map(Self.parseRule)
        if let redis { _ = try Self.parseRedis(redis) }
        if let jwksUrl, URL(string: jwksUrl)?.host == nil {
            throw ValidationError("--jwks-url must be a URL such as http://127.0.0.1:8080/.well-known/jwks.json.")
        }
        guard let url = URL(string: origin), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--origin must be an http(s) URL such as http://127.0.0.1:8080, not '\(origin)'.")
        }
        guard cacheMiB > 0 else { throw ValidationError("--cache-mib must be at least 1.") }
        guard diskCacheMiB > 0 else { throw ValidationError("--disk-cache-mib must be at least 1.") }
        if let maxObjectMiB, maxObjectMiB <= 0 || maxObjectMiB > cacheMiB {
            throw ValidationError("--max-object-mib must be between 1 and --cache-mib (\(cacheMiB)).")
        }
    }

    func run() async throws {
        var configuration = EdgeConfiguration(origin: URL(string: origin)!)
        configuration.cacheBytes = cacheMiB << 20
        configuration.maximumObjectSize = maxObjectMiB.map { $0 << 20 }
        configuration.staleIfUnreachableSeconds = Double(staleIfUnreachable)
        if let diskCache {
            do {
                configuration.diskTier = try DiskCache(
                    directory: URL(fileURLWithPath: diskCache),
                    capacity: diskCacheMiB << 20
                )
            } catch {
                throw CLIFailure(
                    "the disk cache directory '\(diskCache)' cannot be used: \(error.localizedDescription)",
                    fix: "give --disk-cache a directory this user may create and write, or leave it out",
                    code: .usage
                )
            }
        }
        if let token = ProcessInfo.processInfo.environment["EDGE_PURGE_TOKEN"], !token.isEmpty {
            guard token.count >= 16 else {
                throw CLIFailure(
                    "EDGE_PURGE_TOKEN is shorter than 16 characters.",
                    fix:
                        "use a long random token, e.g. `openssl rand -hex 32`, the same on the origin and every edge node",
                    code: .usage
                )
            }
            configuration.purgeToken = token
        }
        var logger = Logger(label: "wenwex.edge")
        logger.logLevel = .info
        let environment = ProcessInfo.processInfo.environment
        let bans = BanStore(try loadBans())
        var services: [any Service] = []
        if !noBanSync, let token = configuration.purgeToken {
            services.append(
                BanSync(
                    store: bans,
                    feed: configuration.origin.appendingPathComponent("_wenwex/edge/bans"),
                    token: token,
                    logger: logger
                )
            )
        }
        var guards: [any EdgeGuard] = [HeaderHygieneGuard(), BanListGuard(store: bans)]
        let secret = environment["JWT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        if secret != nil || jwksUrl != nil {
            let identity = environment["EDGE_IDENTITY_SECRET"].flatMap { $0.isEmpty ? nil : EdgeIdentity(secret: $0) }
            guards.append(
                await JWTGuard(
                    secret: secret,
                    jwksURL: jwksUrl.flatMap(URL.init(string:)),
                    identity: identity,
                    bans: bans,
                    logger: logger
                )
            )
        }
        let rules = try rateLimit.map(Self.parseRule)
        if !rules.isEmpty {
            let buckets: any TokenBuckets =
                if let redis {
                    RedisTokenBuckets(redis: try Self.parseRedis(redis), logger: logger)
                } else {
                    LocalTokenBuckets()
                }
            guards.append(RateLimitGuard(rules: rules, buckets: buckets))
        }
        if let maintenanceFile {
            guards.append(MaintenanceGuard { FileManager.default.fileExists(atPath: maintenanceFile) })
        }
        let output = Output(json: false)
        let origin = origin
        let host = host
        let names = guards.map(\.name).joined(separator: " → ")
        let node = EdgeNode(
            configuration: configuration,
            guards: GuardPipeline(guards),
            host: host,
            port: port,
            logger: logger
        ) { port in
            output.line("Edge node on http://\(host):\(port), caching \(origin); guards: \(names)")
        }
        let group = ServiceGroup(
            services: [node] + services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await group.run()
    }
}

extension EdgeCommand {
    /// `name,METHOD,/prefix,scope,limit/seconds`; METHOD may be `*`.
    static func parseRule(_ text: String) throws -> RateLimitRule {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let budget = parts.count == 5 ? parts[4].split(separator: "/").compactMap { Int($0) } : []
        guard parts.count == 5, !parts[0].isEmpty, parts[2].hasPrefix("/"),
            let scope = RateLimitRule.Scope(rawValue: parts[3]),
            budget.count == 2, budget[0] > 0, budget[1] > 0
        else {
            throw ValidationError(
                "--rate-limit '\(text)' is not name,METHOD,/path-prefix,scope,limit/seconds, e.g. sign-in,POST,/auth/signin,address,10/60 (scope: address, user or user-or-address)."
            )
        }
        return RateLimitRule(
            name: parts[0],
            method: parts[1] == "*" ? nil : HTTPRequest.Method(parts[1].uppercased()),
            pathPrefix: parts[2],
            scope: scope,
            limit: budget[0],
            seconds: budget[1]
        )
    }

    /// The `--bans` file; a line that is neither a user nor an address stops start-up with its
    /// line number.
    func loadBans() throws -> BanList {
        var list = BanList()
        guard let bans else { return list }
        guard let text = try? String(contentsOfFile: bans, encoding: .utf8) else {
            throw CLIFailure("cannot read the ban list \(bans)", fix: "check the path given to --bans", code: .usage)
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("user:") {
                list.ban(user: String(line.dropFirst(5)))
            } else if !list.ban(address: line) {
                throw CLIFailure(
                    "\(bans):\(index + 1): '\(line)' is neither user:<id> nor an IP address or CIDR range",
                    fix: "write one entry per line, e.g. user:42, 203.0.113.7 or 198.51.100.0/24",
                    code: .usage
                )
            }
        }
        return list
    }

    static func parseRedis(_ text: String) throws -> RedisClient {
        guard let url = URL(string: text), url.scheme == "redis", let host = url.host else {
            throw ValidationError("--redis must look like redis://127.0.0.1:6379, not '\(text)'.")
        }
        return RedisClient(host: host, port: url.port ?? 6379)
    }
}
