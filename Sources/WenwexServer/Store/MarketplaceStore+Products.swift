import Foundation
import WenwexRouting
import WenwexSQL

extension MarketplaceStore {
    static let productColumns = "id, title, description, price, stock, seller_id, created_at, updated_at"

    func createProduct(
        sellerID: Int,
        title: String,
        description: String?,
        price: Money,
        stock: Int
    ) async throws -> Written<ProductView> {
        try await database.write { session in
            let rows = try await session.query(
                """
                INSERT INTO products (title, description, price, stock, seller_id, updated_at)
                VALUES ($1, $2, CAST($3 AS DECIMAL(10,2)), $4, $5, CURRENT_TIMESTAMP)
                RETURNING \(Self.productColumns)
                """,
                [
                    .text(title), description.map(SQLValue.text) ?? .null, .text(price.description), .integer(stock),
                    .integer(sellerID),
                ]
            )
            return Self.product(rows[0], images: [])
        }
    }

    func product(id: Int, after token: ConsistencyToken?) async throws -> ProductView? {
        try await database.read(after: token) { session in
            guard
                let row = try await session.query(
                    "SELECT \(Self.productColumns) FROM products WHERE id = $1",
                    [.integer(id)]
                ).first
            else { return nil }
            return Self.product(row, images: try await Self.images(of: [id], session)[id] ?? [])
        }
    }

    func listProducts(_ query: ProductQuery, after token: ConsistencyToken?) async throws -> Page<ProductView> {
        var filter = SQLFilter()
        if let seller = query.sellerID { filter.add("seller_id = \(filter.bind(.integer(seller)))") }
        if let search = query.search {
            let pattern = "%" + Self.escapeLike(search.lowercased()) + "%"
            filter.add("LOWER(title) LIKE \(filter.bind(.text(pattern))) ESCAPE '\\'")
        }
        if let min = query.minPrice {
            filter.add("price >= CAST(\(filter.bind(.text(min.description))) AS DECIMAL(10,2))")
        }
        if let max = query.maxPrice {
            filter.add("price <= CAST(\(filter.bind(.text(max.description))) AS DECIMAL(10,2))")
        }
        if query.inStockOnly { filter.add("stock > 0") }
        let direction = query.sort.isAscending ? "ASC" : "DESC"
        let comparison = query.sort.isAscending ? ">" : "<"
        if let cursor = query.cursor {
            let id = filter.bind(.integer(cursor.id))
            if let column = query.sort.column, let value = cursor.value {
                let bound = filter.bind(.text(value))
                let typed = column == "price" ? "CAST(\(bound) AS DECIMAL(10,2))" : bound
                filter.add("(\(column) \(comparison) \(typed) OR (\(column) = \(typed) AND id \(comparison) \(id)))")
            } else {
                filter.add("id \(comparison) \(id)")
            }
        }
        let order = (query.sort.column.map { "\($0) \(direction), " } ?? "") + "id \(direction)"
        let limit = filter.bind(.integer(query.limit + 1))
        let sql = "SELECT \(Self.productColumns) FROM products \(filter.whereClause) ORDER BY \(order) LIMIT \(limit)"
        let binds = filter.binds
        return try await database.read(after: token) { session in
            let (rows, hasMore) = Page<ProductView>.rows(try await session.query(sql, binds), limit: query.limit)
            let images = try await Self.images(of: rows.compactMap { $0["id"].integer }, session)
            let products = rows.map { Self.product($0, images: images[$0["id"].integer ?? 0] ?? []) }
            return Page(products, hasMore: hasMore) { Self.cursor(after: $0, sort: query.sort) }
        }
    }

    static func cursor(after product: ProductView, sort: ProductQuery.Sort) -> Cursor {
        switch sort.column {
        case "price": Cursor(value: product.price, id: product.id)
        case "title": Cursor(value: product.title, id: product.id)
        default: Cursor(value: nil, id: product.id)
        }
    }

    /// Applies the given changes; `nil` when the product does not exist.
    func updateProduct(
        id: Int,
        title: String?,
        description: String??,
        price: Money?,
        stock: Int?
    ) async throws -> Written<ProductView?> {
        try await database.transaction { session in
            var filter = SQLFilter()
            var assignments = ["updated_at = CURRENT_TIMESTAMP"]
            if let title { assignments.append("title = \(filter.bind(.text(title)))") }
            if case .some(let description) = description {
                assignments.append("description = \(filter.bind(description.map(SQLValue.text) ?? .null))")
            }
            if let price {
                assignments.append("price = CAST(\(filter.bind(.text(price.description))) AS DECIMAL(10,2))")
            }
            if let stock { assignments.append("stock = \(filter.bind(.integer(stock)))") }
            let idParameter = filter.bind(.integer(id))
            guard
                let row = try await session.query(
                    "UPDATE products SET \(assignments.joined(separator: ", ")) WHERE id = \(idParameter) RETURNING \(Self.productColumns)",
                    filter.binds
                ).first
            else { return nil }
            return Self.product(row, images: try await Self.images(of: [id], session)[id] ?? [])
        }
    }

    /// `false` when there was no such product.
    func deleteProduct(id: Int) async throws -> Written<Bool> {
        try await database.write { session in
            try await !session.query("DELETE FROM products WHERE id = $1 RETURNING id", [.integer(id)]).isEmpty
        }
    }

    /// The seller of a product, for ownership checks; `nil` when it does not exist.
    func sellerID(ofProduct id: Int, after token: ConsistencyToken?) async throws -> Int? {
        try await database.read(after: token) { session in
            try await session.query("SELECT seller_id FROM products WHERE id = $1", [.integer(id)]).first?["seller_id"]
                .integer
        }
    }

    /// Adds an image after the product's last one.
    func addImage(productID: Int, key: String, contentType: String, size: Int) async throws -> Written<ImageView> {
        try await database.transaction { session in
            let rows = try await session.query(
                """
                INSERT INTO product_images (product_id, key, content_type, size, position)
                VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position) + 1, 0) FROM product_images WHERE product_id = $1))
                RETURNING id, product_id, key, content_type, size, position
                """,
                [.integer(productID), .text(key), .text(contentType), .integer(size)]
            )
            return Self.image(rows[0])
        }
    }

    static func images(of productIDs: [Int], _ session: any SQLSession) async throws -> [Int: [ImageView]] {
        guard !productIDs.isEmpty else { return [:] }
        let list = Self.inList(productIDs)
        let rows = try await session.query(
            """
            SELECT id, product_id, key, content_type, size, position FROM product_images
            WHERE product_id IN (\(list.sql)) ORDER BY product_id, position
            """,
            list.binds
        )
        return Dictionary(grouping: rows, by: { $0["product_id"].integer ?? 0 }).mapValues { $0.map(image) }
    }

    static func image(_ row: SQLRow) -> ImageView {
        ImageView(
            id: row["id"].integer ?? 0,
            url: "/images/" + (row["key"].text ?? ""),
            contentType: row["content_type"].text ?? "",
            size: row["size"].integer ?? 0,
            position: row["position"].integer ?? 0
        )
    }

    static func product(_ row: SQLRow, images: [ImageView]) -> ProductView {
        ProductView(
            id: row["id"].integer ?? 0,
            title: row["title"].text ?? "",
            description: row["description"].text,
            price: Money(row["price"])?.description ?? "0.00",
            stock: row["stock"].integer ?? 0,
            sellerId: row["seller_id"].integer ?? 0,
            images: images,
            createdAt: Timestamp.iso8601(row["created_at"]) ?? "",
            updatedAt: Timestamp.iso8601(row["updated_at"]) ?? ""
        )
    }

    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
