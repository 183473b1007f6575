import Foundation
import WenwexSQL

/// An opaque position in a sorted list: the last row's sort value and id, base64url JSON.
///
/// Keyset pagination (`WHERE (key, id) > (…)`) stays fast at any depth and never skips or
/// repeats rows when others are inserted meanwhile, unlike `OFFSET`.
struct Cursor: Codable, Sendable, Equatable {
    /// The sort column's value as text (`nil` when sorting by id alone).
    var value: String?
    var id: Int

    var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(value: String?, id: Int) {
        self.value = value
        self.id = id
    }

    /// Decodes a client's cursor; `nil` when it was not made by `encoded`.
    init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64),
            let cursor = try? JSONDecoder().decode(Cursor.self, from: data)
        else { return nil }
        self = cursor
    }
}

/// One page of a list endpoint.
struct Page<Item: Codable & Sendable>: Codable, Sendable {
    var data: [Item]
    /// Pass as `?cursor=` for the next page; `null` on the last page.
    var nextCursor: String?

    init(data: [Item], nextCursor: String?) {
        self.data = data
        self.nextCursor = nextCursor
    }

    /// A page of `items`, with a cursor after the last one when `hasMore`.
    init(_ items: [Item], hasMore: Bool, cursor: (Item) -> Cursor) {
        self.init(data: items, nextCursor: hasMore ? items.last.map { cursor($0).encoded } : nil)
    }

    /// Rows fetched with `LIMIT limit + 1`: the first `limit`, and whether the extra one came.
    static func rows(_ rows: [SQLRow], limit: Int) -> (rows: [SQLRow], hasMore: Bool) {
        rows.count > limit ? (Array(rows.prefix(limit)), true) : (rows, false)
    }
}
