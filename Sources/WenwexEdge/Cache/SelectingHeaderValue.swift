import HTTPTypes

/// A request's value for a field a response's `Vary` names, normalised so that requests that
/// mean the same select the same stored variant (RFC 9111 §4.1: "normalizing both header field
/// values in a way that is known to have identical semantics").
///
/// Every field: its lines combined into one list, and the whitespace around each comma
/// removed (`a, b`, `a,b` and two lines `a` and `b` are one value). The content-negotiation
/// lists whose tokens are case-insensitive and whose order carries no meaning beyond their
/// q-values (`Accept-Language`, `Accept-Encoding`, `Accept-Charset`) are also lower-cased,
/// stripped of whitespace around `;` and `=`, and sorted: `en, de`, `De, EN` and `de,en` ask
/// for the same languages. Without that, a shared cache stores one copy per spelling and the
/// origin sees a miss for each.
enum SelectingHeaderValue {
    /// The fields whose members are compared without case and without order.
    static let unorderedCaseless: Set<String> = ["accept-language", "accept-encoding", "accept-charset"]

    /// The normalised value of `name` in `fields`; `nil` when the request does not send it.
    static func of(_ fields: HTTPFields, _ name: String) -> String? {
        guard let fieldName = HTTPField.Name(name) else { return nil }
        let values = fields[values: fieldName]
        guard !values.isEmpty else { return nil }
        let members = values.joined(separator: ",").split(separator: ",")
            .map { String($0).trimmingSpaces }
        guard unorderedCaseless.contains(name.lowercased()) else { return members.joined(separator: ",") }
        return members.map(normalisedMember).sorted().joined(separator: ",")
    }

    /// Whether `request` has, for every field of `selecting`, the value stored there.
    static func select(_ selecting: [StoredResponse.SelectingHeader], _ request: HTTPFields) -> Bool {
        selecting.allSatisfy { of(request, $0.name) == $0.value }
    }

    /// `de ; q = 0.5` → `de;q=0.5`, lower-cased.
    private static func normalisedMember(_ member: String) -> String {
        member.lowercased().split(separator: ";").map { parameter in
            parameter.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }.joined(separator: "=")
        }.joined(separator: ";")
    }
}
