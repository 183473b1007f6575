import Crypto
import Dispatch
import Foundation
import HTTPTypes
import Logging
import WenwexEdge

/// `WenwexBench edge-guards [--hit-us X]`: what the guard pipeline adds to a cache hit, timed in
/// process on two threads at once (the edge's two event loops), so the figure does not drown in
/// the noise of a whole wrk run.
///
/// The pipelines are the ones `scripts/bench-edge` starts: the plain edge's (header hygiene, an
/// empty ban list, a rate limit that matches nothing) and the guarded edge's (hygiene, 1,000,000
/// bans, JWT verification, a rate limit on every request). Requests are wrk's: no field but the
/// host, which the edge takes out as the authority, or the same with a verified token. `--hit-us`
/// is the whole CPU cost of one hit (bench-edge measures it), to state the cost as a share.
enum EdgeGuardBenchmark {
    static let secret = "bench-edge-jwt-secret-0123456789abcdef"

    static func run(hitMicroseconds: Double?) async {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        var list = BanList()
        for index in 0..<500_000 { list.ban(user: String(index * 7 + 1)) }
        for index in 0..<500_000 {
            _ = list.ban(address: "10.\((index >> 16) & 255).\((index >> 8) & 255).\(index & 255)")
        }
        let bans = BanStore(list)
        let plain = GuardPipeline([
            HeaderHygieneGuard(), BanListGuard(store: BanStore()),
            RateLimitGuard(rules: [
                RateLimitRule(
                    name: "never",
                    method: .get,
                    pathPrefix: "/nothing",
                    scope: .address,
                    limit: 1,
                    seconds: 60
                )
            ]),
        ])
        let guarded = GuardPipeline([
            HeaderHygieneGuard(), BanListGuard(store: bans),
            await JWTGuard(
                secret: secret,
                identity: EdgeIdentity(secret: "bench-edge-identity-secret-0123456789"),
                bans: bans,
                logger: logger
            ),
            RateLimitGuard(rules: [
                RateLimitRule(name: "all", method: .get, scope: .address, limit: 100_000_000, seconds: 1)
            ]),
        ])
        let anonymous = GuardedRequest(method: .get, target: "/products.json", headers: [:], clientAddress: "127.0.0.1")
        var withToken = anonymous
        withToken.headers[.authorization] = "Bearer \(token(user: "99999999"))"
        // The first request with a token verifies it; hits after it find it remembered.
        var first = withToken
        guard await guarded.run(&first) == nil, case .proceed = guarded.runWithoutWaiting(&first) else {
            print("edge-guards: the token was not accepted")
            return
        }
        var results: [String: [Double]] = [:]
        let cases: [(String, GuardPipeline, GuardedRequest)] = [
            ("plain", plain, anonymous), ("guarded", guarded, anonymous),
            ("bearer", plain, withToken), ("jwt", guarded, withToken),
        ]
        for _ in 0..<5 {
            for (name, pipeline, request) in cases {
                results[name, default: []].append(nanosecondsPerHit(pipeline, request))
            }
        }
        func median(_ name: String) -> Double { results[name]!.sorted()[results[name]!.count / 2] }
        let (p, g, b, j) = (median("plain"), median("guarded"), median("bearer"), median("jwt"))
        print(
            String(
                format:
                    "guard pipeline per hit, 2 threads, median of 5: plain edge %.0f ns, all guards %.0f ns (+%.0f ns)",
                p,
                g,
                g - p
            )
        )
        print(String(format: "with a verified token: plain edge %.0f ns, all guards %.0f ns (+%.0f ns)", b, j, j - b))
        if let hitMicroseconds {
            print(
                String(
                    format:
                        "against %.2f us of CPU per 4 KiB hit: guard pipeline cost %.1f%% anonymous, %.1f%% with a JWT (target < 5%%)",
                    hitMicroseconds,
                    100 * (g - p) / (hitMicroseconds * 1000),
                    100 * (j - b) / (hitMicroseconds * 1000)
                )
            )
        }
    }

    /// Two threads running the pipeline over their own copies of `request`, as two event loops
    /// do; nanoseconds per call on each. Each thread's request has storage of its own, as a
    /// parsed request has: copies of one shared request would make both threads retain the same
    /// strings, and that contention, which the server never has, would be most of the figure.
    private static func nanosecondsPerHit(_ pipeline: GuardPipeline, _ request: GuardedRequest) -> Double {
        let calls = 400_000
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let own = ownStorage(request)
            var refused = 0
            for _ in 0..<calls {
                var copy = own
                if case .proceed = pipeline.runWithoutWaiting(&copy) {} else { refused += 1 }
            }
            precondition(refused == 0, "a guard refused the benchmark's request")
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(calls)
    }

    /// `request` with every string copied into new storage.
    private static func ownStorage(_ request: GuardedRequest) -> GuardedRequest {
        func copied(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }
        var headers = HTTPFields()
        for field in request.headers { headers.append(HTTPField(name: field.name, value: copied(field.value))) }
        return GuardedRequest(
            method: request.method,
            target: copied(request.target),
            headers: headers,
            clientAddress: copied(request.clientAddress)
        )
    }

    /// An HS256 token for `user`, valid for an hour.
    static func token(user: String) -> String {
        func base64URL(_ data: some DataProtocol) -> String {
            Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let header = base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let expiry = Int(Date().timeIntervalSince1970) + 3600
        let payload = base64URL(Data(#"{"sub":"\#(user)","exp":\#(expiry)}"#.utf8))
        let signature = HMAC<SHA256>.authenticationCode(
            for: Data("\(header).\(payload)".utf8),
            using: SymmetricKey(data: Data(secret.utf8))
        )
        return "\(header).\(payload).\(base64URL(Data(signature)))"
    }
}
