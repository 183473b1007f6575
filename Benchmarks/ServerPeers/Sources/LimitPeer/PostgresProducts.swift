import Foundation
import Logging
import PostgresNIO

/// The two reads through a `PostgresClient` pool on the replica, binary rows decoded by hand.
struct PostgresProducts: ProductSource {
    let client: PostgresClient
    let logger: Logger

    init(url: String, poolSize: Int, logger: Logger) throws {
        guard let parts = URLComponents(string: url), let host = parts.host else {
            throw PeerError("cannot read DATABASE_URL \(url)")
        }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: parts.port ?? 5432,
            username: parts.user ?? "postgres",
            password: parts.password,
            database: parts.path.isEmpty ? nil : String(parts.path.dropFirst()),
            tls: .disable
        )
        configuration.options.maximumConnections = poolSize
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    func product(id: Int) async throws -> Product? {
        var binds = PostgresBindings()
        binds.append(id)
        let rows = try await client.query(PostgresQuery(unsafeSQL: SQL.with(SQL.productRead, "$1"), binds: binds), logger: logger)
        var product: Product?
        for try await row in rows {
            let cells = Array(row)
            if product == nil { product = try Self.product(cells) }
            if cells[8].bytes != nil {
                product?.images.append(try Self.image(Array(cells[8...])))
            }
        }
        return product
    }

    func list(limit: Int) async throws -> (products: [Product], hasMore: Bool) {
        var binds = PostgresBindings()
        binds.append(limit + 1)
        var products: [Product] = []
        for try await row in try await client.query(
            PostgresQuery(unsafeSQL: SQL.with(SQL.productList, "$1"), binds: binds),
            logger: logger
        ) {
            products.append(try Self.product(Array(row)))
        }
        let hasMore = products.count > limit
        if hasMore { products.removeLast(products.count - limit) }
        guard !products.isEmpty else { return ([], false) }

        var imageBinds = PostgresBindings()
        for product in products { imageBinds.append(product.id) }
        let placeholders = (1...products.count).map { "$\($0)" }.joined(separator: ", ")
        var images: [Int: [Product.Image]] = [:]
        for try await row in try await client.query(
            PostgresQuery(unsafeSQL: SQL.with(SQL.images, placeholders), binds: imageBinds),
            logger: logger
        ) {
            let cells = Array(row)
            let productID = try cells[1].decode(Int.self)
            images[productID, default: []].append(try Self.image([cells[0]] + cells[2...]))
        }
        for index in products.indices { products[index].images = images[products[index].id] ?? [] }
        return (products, hasMore)
    }

    /// id, title, description, price, stock, seller_id, created_at, updated_at.
    static func product(_ cells: [PostgresCell]) throws -> Product {
        let price = try cells[3].decode(Decimal.self).description
        return Product(
            id: try cells[0].decode(Int.self),
            title: try cells[1].decode(String.self),
            description: try cells[2].decode(String?.self),
            price: money(cents: cents(decimalText: price) ?? 0),
            stock: try cells[4].decode(Int.self),
            sellerID: try cells[5].decode(Int.self),
            createdAt: try timestamp(cells[6]),
            updatedAt: try timestamp(cells[7])
        )
    }

    /// id, key, content_type, size, position.
    static func image(_ cells: [PostgresCell]) throws -> Product.Image {
        Product.Image(
            id: try cells[0].decode(Int.self),
            key: try cells[1].decode(String.self),
            contentType: try cells[2].decode(String.self),
            size: try cells[3].decode(Int.self),
            position: try cells[4].decode(Int.self)
        )
    }

    /// A `timestamp` with milliseconds and `Z`, as Wenwex prints it. A `Date` holds `.517` a
    /// hair below it and the style truncates, so the instant is nudged half a millisecond
    /// first (Wenwex formats PostgreSQL's integer microseconds, which is exact).
    static func timestamp(_ cell: PostgresCell) throws -> String {
        try cell.decode(Date.self).addingTimeInterval(0.0005)
            .formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)) + "Z"
    }
}

struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
