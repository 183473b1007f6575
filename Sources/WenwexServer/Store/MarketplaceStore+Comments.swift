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
        var filter = SQLFilter()
        filter.add("product_id = \(filter.bind(.integer(productID)))")
        if let cursor { filter.add("id > \(filter.bind(.integer(cursor.id)))") }
        let sql = """
            SELECT id, body, author_id, product_id, created_at FROM comments \(filter.whereClause)
            ORDER BY id ASC LIMIT \(filter.bind(.integer(limit + 1)))
            """
        let binds = filter.binds
        return try await database.read(after: token) { session in
            guard try await !session.query("SELECT 1 FROM products WHERE id = $1", [.integer(productID)]).isEmpty else {
                return nil
            }
            let (rows, hasMore) = Page<CommentView>.rows(try await session.query(sql, binds), limit: limit)
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
