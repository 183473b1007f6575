import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// `/healthz` (the process answers), `/readyz` (database reachable and migrated) and
/// `/metrics` (Prometheus text).
struct OperationsRoutes: Sendable {
    let readiness: Readiness
    let registry: PrometheusCollectorRegistry

    struct Health: Codable, Sendable {
        var status: String
    }

    func register(on router: MarketplaceRouter) {
        router.get("healthz") { _, _ in JSONResponse(value: Health(status: "ok")) }
        router.get("readyz") { _, _ in
            let report = await readiness.check()
            return JSONResponse(status: report.ready ? .ok : .serviceUnavailable, value: report)
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}
