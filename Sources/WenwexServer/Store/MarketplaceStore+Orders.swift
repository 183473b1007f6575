import WenwexRouting
import WenwexSQL

extension MarketplaceStore {
    /// One requested line of a new order.
    struct OrderLine: Sendable, Equatable {
        var productID: Int
        var quantity: Int
    }

    /// Why an order line cannot be placed, by its index in the request.
    enum OrderFailure: Error, Equatable {
        case noSuchProduct(line: Int)
        case outOfStock(line: Int, available: Int)
    }

    /// Takes the stock and writes the order in one transaction: either every line is reserved at
    /// today's price, or nothing changes.
    func placeOrder(buyerID: Int, lines: [OrderLine]) async throws -> Written<OrderView> {
        try await database.transaction { session in
            var items: [OrderItemView] = []
            var total = Money(cents: 0)
            for (index, line) in lines.enumerated() {
                let reserved = try await session.query(
                    """
                    UPDATE products SET stock = stock - $1, updated_at = CURRENT_TIMESTAMP
                    WHERE id = $2 AND stock >= $1 RETURNING price
                    """,
                    [.integer(line.quantity), .integer(line.productID)]
                )
                guard let row = reserved.first, let price = Money(row["price"]) else {
                    let stock = try await session.query(
                        "SELECT stock FROM products WHERE id = $1",
                        [.integer(line.productID)]
                    )
                    guard let available = stock.first?["stock"].integer else {
                        throw OrderFailure.noSuchProduct(line: index)
                    }
                    throw OrderFailure.outOfStock(line: index, available: available)
                }
                total.cents += price.cents * Int64(line.quantity)
                items.append(
                    OrderItemView(productId: line.productID, quantity: line.quantity, unitPrice: price.description)
                )
            }
            let order = try await session.query(
                """
                INSERT INTO orders (buyer_id, total) VALUES ($1, CAST($2 AS DECIMAL(12,2)))
                RETURNING id, buyer_id, status, total, created_at
                """,
                [.integer(buyerID), .text(total.description)]
            )[0]
            let orderID = order["id"].integer ?? 0
            for item in items {
                try await session.execute(
                    "INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ($1, $2, $3, CAST($4 AS DECIMAL(10,2)))",
                    [.integer(orderID), .integer(item.productId), .integer(item.quantity), .text(item.unitPrice)]
                )
            }
            return Self.order(order, items: items)
        }
    }

    func order(id: Int, after token: ConsistencyToken?) async throws -> OrderView? {
        try await database.read(after: token) { session in
            guard
                let row = try await session.query(
                    "SELECT id, buyer_id, status, total, created_at FROM orders WHERE id = $1",
                    [.integer(id)]
                ).first
            else { return nil }
            return Self.order(row, items: try await Self.items(of: [id], session)[id] ?? [])
        }
    }

    /// Newest first; `buyerID` `nil` lists everyone's (admins).
    func listOrders(buyerID: Int?, cursor: Cursor?, limit: Int, after token: ConsistencyToken?) async throws -> Page<
        OrderView
    > {
        var filters: [SQLQuery] = []
        if let buyerID { filters.append("buyer_id = \(buyerID)") }
        if let cursor { filters.append("id < \(cursor.id)") }
        let sql: SQLQuery = """
            SELECT id, buyer_id, status, total, created_at FROM orders \(Self.whereClause(filters))
            ORDER BY id DESC LIMIT \(limit + 1)
            """
        return try await database.read(after: token) { session in
            let (rows, hasMore) = Page<OrderView>.rows(try await session.query(sql), limit: limit)
            let items = try await Self.items(of: rows.compactMap { $0["id"].integer }, session)
            let orders = rows.map { Self.order($0, items: items[$0["id"].integer ?? 0] ?? []) }
            return Page(orders, hasMore: hasMore) { Cursor(value: nil, id: $0.id) }
        }
    }

    static func items(of orderIDs: [Int], _ session: any SQLSession) async throws -> [Int: [OrderItemView]] {
        guard !orderIDs.isEmpty else { return [:] }
        let rows = try await session.query(
            """
            SELECT order_id, product_id, quantity, unit_price FROM order_items
            WHERE order_id IN (\(list: orderIDs)) ORDER BY order_id, product_id
            """
        )
        return Dictionary(grouping: rows, by: { $0["order_id"].integer ?? 0 }).mapValues { rows in
            rows.map {
                OrderItemView(
                    productId: $0["product_id"].integer ?? 0,
                    quantity: $0["quantity"].integer ?? 0,
                    unitPrice: Money($0["unit_price"])?.description ?? "0.00"
                )
            }
        }
    }

    static func order(_ row: SQLRow, items: [OrderItemView]) -> OrderView {
        OrderView(
            id: row["id"].integer ?? 0,
            buyerId: row["buyer_id"].integer ?? 0,
            status: row["status"].text ?? "",
            total: Money(row["total"])?.description ?? "0.00",
            createdAt: Timestamp.iso8601(row["created_at"]) ?? "",
            items: items
        )
    }
}
