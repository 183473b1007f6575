import AsyncHTTPClient
import Foundation
import HTTPTypes
import Testing
import WenwexEdge
import WenwexStorage
import WenwexTestSupport

/// The origin's purge events reaching the caches a team may run: Wenwex edge nodes, Varnish,
/// and the request shapes of Cloudflare's and Fastly's purge APIs.
@Suite("Purge sinks")
struct PurgeSinkTests {
    static let vcl = """
        acl purgers { "127.0.0.1"; }
        sub vcl_recv {
          if (req.method == "BAN") {
            if (client.ip !~ purgers) { return (synth(403)); }
            if (req.http.X-Ban-Tags) { ban("obj.http.Surrogate-Key ~ " + req.http.X-Ban-Tags); }
            if (req.http.X-Ban-Paths) { ban("obj.http.X-Url ~ " + req.http.X-Ban-Paths); }
            return (synth(200, "Banned"));
          }
        }
        sub vcl_backend_response { set beresp.http.X-Url = bereq.url; }
        sub vcl_deliver { unset resp.http.X-Url; }
        """

    func get(_ port: Int, _ path: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
            timeout: .seconds(10)
        )
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    @Test(.enabled(if: DaemonAvailability.varnish.shouldRun))
    func aVarnishBanDropsTheTaggedObjectsAndKeepsTheRest() async throws {
        try await withEdges { origin, edges in
            for name in ["a", "b", "c"] {
                origin.on("/images/\(name).png") { _, count in
                    .init(
                        headers: [
                            .cacheControl: "max-age=600", HTTPField.Name("Surrogate-Key")!: "image-\(name) images",
                        ],
                        body: "\(name)\(count)"
                    )
                }
            }
            let originPort = try #require(edges[0].node.proxy.origin.origin.port)
            let varnish = try await VarnishPeer.start(backendPort: originPort, vcl: Self.vcl)
            defer { varnish.stop() }
            for name in ["a", "b", "c"] {
                _ = try await get(varnish.port, "/images/\(name).png")
                _ = try await get(varnish.port, "/images/\(name).png")
            }
            #expect(origin.count("/images/a.png") == 1, "Varnish cached it")
            let sink = VarnishBanSink(endpoint: URL(string: "http://127.0.0.1:\(varnish.port)/")!)
            try await sink.deliver(PurgeEvent(tags: ["image-a"], paths: ["/images/c.png"], reason: "test"))
            #expect(try await get(varnish.port, "/images/a.png") == "a2", "the tagged object was banned")
            #expect(try await get(varnish.port, "/images/b.png") == "b1", "another tag stayed cached")
            #expect(try await get(varnish.port, "/images/c.png") == "c2", "the path was banned")
        }
    }

    @Test func theOriginsHTTPPurgeSinkPurgesAWenwexEdgeNode() async throws {
        try await withEdges { origin, edges in
            origin.on("/images/x.png") { _, count in
                .init(
                    headers: [.cacheControl: "max-age=600", HTTPField.Name("Cache-Tag")!: "image-x"],
                    body: "x\(count)"
                )
            }
            _ = try await edges[0].get("/images/x.png")
            let sink = HTTPPurgeSink(
                endpoint: URL(string: "http://127.0.0.1:\(edges[0].port)/_wenwex/purge")!,
                token: "test-purge-token-0123456789"
            )
            try await sink.deliver(PurgeEvent(tags: ["image-x"], reason: "image replaced"))
            #expect(try await edges[0].get("/images/x.png").body == "x2")
            let wrong = HTTPPurgeSink(
                endpoint: URL(string: "http://127.0.0.1:\(edges[0].port)/_wenwex/purge")!,
                token: "nope"
            )
            await #expect(throws: HTTPPurgeSink.Refused.self) {
                try await wrong.deliver(PurgeEvent(tags: ["image-x"], reason: "x"))
            }
        }
    }

    @Test func cloudflareAndFastlyRequestsHaveTheirAPIsShapes() async throws {
        try await withEdges { origin, _ in
            origin.on("/client/v4/zones/zone-1/purge_cache") { _, _ in .init(body: #"{"success":true}"#) }
            origin.on("/service/svc-1/purge") { _, _ in .init(body: #"{"status":"ok"}"#) }
            origin.on("/purge/shop.example.com/images/a.png") { _, _ in .init(body: #"{"status":"ok"}"#) }
            let api = try #require(origin.baseURL)
            let event = PurgeEvent(tags: (1...31).map { "image-\($0)" }, paths: ["/images/a.png"], reason: "test")
            try await CloudflarePurgeSink(
                zone: "zone-1",
                token: "cf-token",
                site: URL(string: "https://shop.example.com/")!,
                api: api
            )
            .deliver(event)
            let cloudflare = origin.bodies.withLock { $0["/client/v4/zones/zone-1/purge_cache"] ?? [] }
            #expect(cloudflare.count == 3, "30 tags, then 1, then the file")
            let first = try JSONSerialization.jsonObject(with: Data(cloudflare[0].utf8)) as? [String: [String]]
            #expect(first?["tags"]?.count == 30)
            #expect(cloudflare[2] == #"{"files":["https:\/\/shop.example.com\/images\/a.png"]}"#)
            #expect(origin.lastHeaders("/client/v4/zones/zone-1/purge_cache")?[.authorization] == "Bearer cf-token")

            try await FastlyPurgeSink(service: "svc-1", token: "fastly-token", host: "shop.example.com", api: api)
                .deliver(event)
            let fastly = try #require(origin.lastHeaders("/service/svc-1/purge"))
            #expect(fastly[HTTPField.Name("Fastly-Key")!] == "fastly-token")
            #expect(fastly[HTTPField.Name("Surrogate-Key")!]?.split(separator: " ").count == 31)
            #expect(
                origin.targets.withLock { $0["/purge/shop.example.com/images/a.png"] } == [
                    "POST /purge/shop.example.com/images/a.png"
                ]
            )
        }
    }
}
