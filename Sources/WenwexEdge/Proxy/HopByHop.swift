public import HTTPTypes
import Hummingbird

/// Hop-by-hop fields (RFC 9110 §7.6.1): they describe one connection, so a proxy removes them,
/// and every field the `Connection` header names, before forwarding in either direction.
public enum HopByHop {
    static let names: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    /// `fields` without hop-by-hop fields.
    public static func removing(from fields: HTTPFields) -> HTTPFields {
        var named = names
        for value in fields[values: .connection] {
            for token in value.split(separator: ",") { named.insert(token.trimmingSpaces.lowercased()) }
        }
        var result = HTTPFields()
        result.reserveCapacity(fields.count)
        for field in fields where !named.contains(field.name.canonicalName) {
            result.append(field)
        }
        return result
    }
}
