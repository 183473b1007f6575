import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
public import Prometheus

/// `/healthz` (the process answers), `/readyz` (database reachable and migrated, every node's
/// state) and `/metrics` (Prometheus text), the three endpoints an orchestrator and a scraper
/// expect.
public struct OperationsRoutes: Sendable {
    /// What `/readyz` checks.
    public let readiness: Readiness
    /// What `/metrics` serves.
    public let registry: PrometheusCollectorRegistry

    /// The three routes over one readiness check and one registry.
    public init(readiness: Readiness, registry: PrometheusCollectorRegistry) {
        self.readiness = readiness
        self.registry = registry
    }

    struct Health: Codable, Sendable {
        var status: String
    }

    /// Adds `GET /healthz`, `GET /readyz` and `GET /metrics` to `router`.
    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("healthz") { _, _ in Self.json(.ok, Health(status: "ok")) }
        router.get("readyz") { _, _ in
            let report = await readiness.check()
            return Self.json(report.ready ? .ok : .serviceUnavailable, report)
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }

    /// Sorted keys, so the documents diff cleanly between instances.
    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
