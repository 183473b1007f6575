import HTTPTypes
public import Hummingbird

/// Removes every client-sent copy of the headers the edge itself vouches for, so a client can
/// never pose as a verified user or as the edge (CVE-2025-29927 was a framework trusting such
/// a header from the client).
public struct HeaderHygieneGuard: EdgeGuard {
    public let name = "header-hygiene"
    /// Lower-cased names, plus every name starting with `x-wenwex-`.
    public var stripped: Set<String>

    public init(
        stripped: Set<String> = [
            "x-middleware-subrequest", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "forwarded",
            "x-real-ip",
        ]
    ) {
        self.stripped = stripped
    }

    public func inspect(_ request: inout GuardedRequest) async -> Response? {
        inspectWithoutWaiting(&request).response
    }

    public func decidesWithoutWaiting(_ request: GuardedRequest) -> Bool { true }

    public func inspectWithoutWaiting(_ request: inout GuardedRequest) -> GuardVerdict {
        // Most requests carry none of them: check before building a new field list.
        guard request.headers.contains(where: { isStripped($0.name.canonicalName) }) else { return .proceed }
        var kept = HTTPFields()
        for field in request.headers {
            if isStripped(field.name.canonicalName) { continue }
            kept.append(field)
        }
        request.headers = kept
        return .proceed
    }

    private func isStripped(_ name: String) -> Bool {
        stripped.contains(name) || name.hasPrefix("x-wenwex-")
    }
}
