import Foundation
import WenwexRouting
import WenwexSQL

extension MarketplaceStore {
    static func productColumns(prefix: String = "") -> String {
        ["id", "title", "description", "price", "stock", "seller_id", "created_at", "updated_at"]
            .map { prefix + $0 }.joined(separator: ", ")
    }

    /// An image's columns in a join with `products`, renamed so they cannot collide.
    static let joinedImageColumns =
        "i.id AS image_id, i.key AS image_key, i.content_type AS image_content_type, i.size AS image_size, i.position AS image_position"

    /// The `WHERE` clause of the given conditions, or nothing when there are none.
    static func whereClause(_ conditions: [SQLQuery]) -> SQLQuery {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }

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
                RETURNING \(Self.productColumns())
                """,
                [
                    .text(title), description.map(SQLValue.text) ?? .null, .text(price.description), .integer(stock),
                    .integer(sellerID),
                ]
            )
            return Self.product(rows[0], images: [])
        }
    }

    /// One query: the product and its images through a `LEFT JOIN`, so a read costs a single
    /// round trip to the replica.
    func product(id: Int, after token: ConsistencyToken?) async throws -> ProductView? {
        try await database.read(after: token) { session in
            let rows = try await session.query(
                """
                SELECT \(unsafeRaw: Self.productColumns(prefix: "p.")), \(unsafeRaw: Self.joinedImageColumns)
                FROM products p LEFT JOIN product_images i ON i.product_id = p.id
                WHERE p.id = \(id) ORDER BY i.position
                """
            )
            guard let first = rows.first else { return nil }
            return Self.product(first, images: rows.compactMap(Self.joinedImage))
        }
    }

    func listProducts(_ query: ProductQuery, after token: ConsistencyToken?) async throws -> Page<ProductView> {
        var filters: [SQLQuery] = []
        if let seller = query.sellerID { filters.append("seller_id = \(seller)") }
        if let search = query.search {
            let pattern = "%" + Self.escapeLike(search.lowercased()) + "%"
            filters.append("LOWER(title) LIKE \(pattern) ESCAPE '\\'")
        }
        if let min = query.minPrice { filters.append("price >= CAST(\(min.description) AS DECIMAL(10,2))") }
        if let max = query.maxPrice { filters.append("price <= CAST(\(max.description) AS DECIMAL(10,2))") }
        if query.inStockOnly { filters.append("stock > 0") }
        let direction = query.sort.isAscending ? "ASC" : "DESC"
        let comparison = query.sort.isAscending ? ">" : "<"
        if let cursor = query.cursor {
            if let column = query.sort.column, let value = cursor.value {
                let typed: SQLQuery = column == "price" ? "CAST(\(value) AS DECIMAL(10,2))" : "\(value)"
                filters.append(
                    """
                    (\(identifier: column) \(unsafeRaw: comparison) \(typed) \
                    OR (\(identifier: column) = \(typed) AND id \(unsafeRaw: comparison) \(cursor.id)))
                    """
                )
            } else {
                filters.append("id \(unsafeRaw: comparison) \(cursor.id)")
            }
        }
        let order = (query.sort.column.map { "\($0) \(direction), " } ?? "") + "id \(direction)"
        let sql: SQLQuery = """
            SELECT \(unsafeRaw: Self.productColumns()) FROM products \(Self.whereClause(filters)) \
            ORDER BY \(unsafeRaw: order) LIMIT \(query.limit + 1)
            """
        return try await database.read(after: token) { session in
            let (rows, hasMore) = Page<ProductView>.rows(try await session.query(sql), limit: query.limit)
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
            var assignments: [SQLQuery] = ["updated_at = CURRENT_TIMESTAMP"]
            if let title { assignments.append("title = \(title)") }
            if case .some(let description) = description {
                assignments.append("description = \(description as String?)")
            }
            if let price { assignments.append("price = CAST(\(price.description) AS DECIMAL(10,2))") }
            if let stock { assignments.append("stock = \(stock)") }
            guard
                let row = try await session.query(
                    """
                    UPDATE products SET \(assignments.joined(separator: ", ")) WHERE id = \(id) \
                    RETURNING \(unsafeRaw: Self.productColumns())
                    """
                ).first
            else { return nil }
            return Self.product(row, images: try await Self.images(of: [id], session)[id] ?? [])
        }
    }

    /// `false` when there was no such product.
    /// Deletes the product (its images' rows go with it); returns the image keys no product
    /// uses any more, whose objects the caller removes and purges, or `nil` when there was no
    /// such product.
    func deleteProduct(id: Int) async throws -> Written<[ReleasedImage]?> {
        try await database.transaction { session in
            let keys = try await session.query("SELECT key FROM product_images WHERE product_id = \(id)").compactMap {
                $0["key"].text
            }
            guard try await !session.query("DELETE FROM products WHERE id = \(id) RETURNING id").isEmpty else {
                return nil
            }
            return try await Self.released(keys, session)
        }
    }

    /// Removes one image of a product; `nil` when the product has no such image.
    func removeImage(productID: Int, imageID: Int) async throws -> Written<[ReleasedImage]?> {
        try await database.transaction { session in
            let rows = try await session.query(
                "DELETE FROM product_images WHERE id = \(imageID) AND product_id = \(productID) RETURNING key"
            )
            guard let key = rows.first?["key"].text else { return nil }
            return try await Self.released([key], session)
        }
    }

    /// Points an image at new bytes, keeping its id and position; `nil` when the product has
    /// no such image.
    func replaceImage(productID: Int, imageID: Int, key: String, contentType: String, size: Int) async throws
        -> Written<(image: ImageView, released: [ReleasedImage])?>
    {
        try await database.transaction { session in
            let old = try await session.query(
                "SELECT key FROM product_images WHERE id = \(imageID) AND product_id = \(productID)"
            )
            guard let oldKey = old.first?["key"].text else { return nil }
            let rows = try await session.query(
                """
                UPDATE product_images SET key = \(key), content_type = \(contentType), size = \(size)
                WHERE id = \(imageID) RETURNING id, product_id, key, content_type, size, position
                """
            )
            let released = oldKey == key ? [] : try await Self.released([oldKey], session)
            return (Self.image(rows[0]), released)
        }
    }

    /// Each of `keys`, and whether another image row still uses its object.
    static func released(_ keys: [String], _ session: any SQLSession) async throws -> [ReleasedImage] {
        var released: [ReleasedImage] = []
        for key in Set(keys).sorted() {
            let users = try await session.query("SELECT count(*) AS n FROM product_images WHERE key = \(key)")
            released.append(ReleasedImage(key: key, stillUsed: (users.first?["n"].integer ?? 0) > 0))
        }
        return released
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
        let rows = try await session.query(
            """
            SELECT id, product_id, key, content_type, size, position FROM product_images
            WHERE product_id IN (\(list: productIDs)) ORDER BY product_id, position
            """
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

    /// The image of a joined row; `nil` for a product without images (the join's NULLs).
    static func joinedImage(_ row: SQLRow) -> ImageView? {
        guard let id = row["image_id"].integer else { return nil }
        return ImageView(
            id: id,
            url: "/images/" + (row["image_key"].text ?? ""),
            contentType: row["image_content_type"].text ?? "",
            size: row["image_size"].integer ?? 0,
            position: row["image_position"].integer ?? 0
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
