import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import Testing
import WenwexEdge

@Suite("Edge purge API")
struct EdgePurgeTests {
    func purge(_ edge: EdgeHandle, _ json: String, token: String? = "test-purge-token-0123456789") async throws -> UInt
    {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(edge.port)/_wenwex/purge")
        request.method = .POST
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status.code
    }

    @Test func aPurgeByTagReachesBothNodesAndAWrongTokenPurgesNothing() async throws {
        try await withEdges(2) { origin, edges in
            origin.on("/images/a.png") { _, count in
                .init(
                    headers: [.cacheControl: "max-age=600", HTTPField.Name("Surrogate-Key")!: "image-a all-images"],
                    body: "a\(count)"
                )
            }
            origin.on("/images/b.png") { _, count in
                .init(
                    headers: [.cacheControl: "max-age=600", HTTPField.Name("Cache-Tag")!: "image-b,all-images"],
                    body: "b\(count)"
                )
            }
            for edge in edges {
                _ = try await edge.get("/images/a.png")
                _ = try await edge.get("/images/b.png")
            }
            #expect(origin.count("/images/a.png") == 2)
            let wrongToken = try await purge(edges[0], #"{"tags":["image-a"]}"#, token: "wrong")
            let notJSON = try await purge(edges[0], "not json")
            #expect(wrongToken == 401)
            #expect(notJSON == 400)
            for edge in edges {
                let status = try await purge(edge, #"{"tags":["image-a"]}"#)
                #expect(status == 200)
            }
            for edge in edges {
                _ = try await edge.get("/images/a.png")
                _ = try await edge.get("/images/b.png")
            }
            #expect(origin.count("/images/a.png") == 4, "each node fetched the purged object again")
            #expect(origin.count("/images/b.png") == 2, "the other tag stayed cached")
            for edge in edges {
                let status = try await purge(edge, #"{"prefixes":["/images/"]}"#)
                #expect(status == 200)
            }
            _ = try await edges[0].get("/images/b.png")
            #expect(origin.count("/images/b.png") == 3)
        }
    }
}
