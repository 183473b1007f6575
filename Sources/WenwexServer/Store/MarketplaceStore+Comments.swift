import WenwexRouting
import WenwexSQL

extension MarketplaceStore {
    /// `nil` when the product does not exist.
    func addComment(productID: Int, authorID: Int, body: String) async throws -> Written<CommentView?> {
        try await database.transaction { session in
            guard try await !session.query("SELECT 1 FROM products WHERE id = $1", [.integer(productID)]).isEmpty else {
                return nil
            }
            let rows = try await session.query(
                """
                INSERT INTO comments (body, author_id, product_id) VALUES ($1, $2, $3)
                RETURNING id, body, author_id, product_id, created_at
                """,
                [.text(body), .integer(authorID), .integer(productID)]
            )
            return Self.comment(rows[0])
        }
    }

    /// Oldest first, the order a conversation is read in; `nil` when the product does not exist.
    func listComments(productID: Int, cursor: Cursor?, limit: Int, after token: ConsistencyToken?) async throws
        -> Page<CommentView>?
    {
        var filters: [SQLQuery] = ["product_id = \(productID)"]
        if let cursor { filters.append("id > \(cursor.id)") }
        let sql: SQLQuery = """
            SELECT id, body, author_id, product_id, created_at FROM comments \(Self.whereClause(filters))
            ORDER BY id ASC LIMIT \(limit + 1)
            """
        return try await database.read(after: token) { session in
            guard try await !session.query("SELECT 1 FROM products WHERE id = $1", [.integer(productID)]).isEmpty else {
                return nil
            }
            let (rows, hasMore) = Page<CommentView>.rows(try await session.query(sql), limit: limit)
            return Page(rows.map(Self.comment), hasMore: hasMore) { Cursor(value: nil, id: $0.id) }
        }
    }

    static func comment(_ row: SQLRow) -> CommentView {
        CommentView(
            id: row["id"].integer ?? 0,
            body: row["body"].text ?? "",
            authorId: row["author_id"].integer ?? 0,
            productId: row["product_id"].integer ?? 0,
            createdAt: Timestamp.iso8601(row["created_at"]) ?? ""
        )
    }
}
