import Foundation
import Logging
import SQLiteNIO

/// The two reads through a fixed set of read-only SQLiteNIO connections, as Wenwex's
/// `SQLiteRouter` opens them (`mode=ro` URI, one caller per connection at a time).
final class SQLiteProducts: ProductSource {
    private let pool: ConnectionPool

    private init(pool: ConnectionPool) {
        self.pool = pool
    }

    static func open(path: String, poolSize: Int, logger: Logger) async throws -> SQLiteProducts {
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        var connections: [SQLiteConnection] = []
        for _ in 0..<max(1, poolSize) {
            connections.append(try await SQLiteConnection.open(storage: .file(path: "file:\(encoded)?mode=ro"), logger: logger))
        }
        return SQLiteProducts(pool: ConnectionPool(connections))
    }

    func product(id: Int) async throws -> Product? {
        let rows = try await pool.with { try await $0.query(SQL.with(SQL.productRead, "?1"), [.integer(id)]) }
        guard let first = rows.first else { return nil }
        var product = Self.product(first.columns)
        for row in rows {
            let columns = row.columns
            if columns[8].data != .null { product.images.append(Self.image(Array(columns[8...]))) }
        }
        return product
    }

    func list(limit: Int) async throws -> (products: [Product], hasMore: Bool) {
        try await pool.with { connection in
            var products = try await connection.query(SQL.with(SQL.productList, "?1"), [.integer(limit + 1)])
                .map { Self.product($0.columns) }
            let hasMore = products.count > limit
            if hasMore { products.removeLast(products.count - limit) }
            guard !products.isEmpty else { return ([], false) }
            let placeholders = (1...products.count).map { "?\($0)" }.joined(separator: ", ")
            var images: [Int: [Product.Image]] = [:]
            for row in try await connection.query(
                SQL.with(SQL.images, placeholders),
                products.map { .integer($0.id) }
            ) {
                let columns = row.columns
                images[columns[1].data.integer ?? 0, default: []].append(Self.image([columns[0]] + columns[2...]))
            }
            for index in products.indices { products[index].images = images[products[index].id] ?? [] }
            return (products, hasMore)
        }
    }

    /// id, title, description, price, stock, seller_id, created_at, updated_at.
    static func product(_ columns: [SQLiteColumn]) -> Product {
        Product(
            id: columns[0].data.integer ?? 0,
            title: columns[1].data.string ?? "",
            description: columns[2].data == .null ? nil : columns[2].data.string,
            price: money(cents: cents(columns[3].data)),
            stock: columns[4].data.integer ?? 0,
            sellerID: columns[5].data.integer ?? 0,
            createdAt: timestamp(columns[6].data),
            updatedAt: timestamp(columns[7].data)
        )
    }

    /// id, key, content_type, size, position.
    static func image(_ columns: [SQLiteColumn]) -> Product.Image {
        Product.Image(
            id: columns[0].data.integer ?? 0,
            key: columns[1].data.string ?? "",
            contentType: columns[2].data.string ?? "",
            size: columns[3].data.integer ?? 0,
            position: columns[4].data.integer ?? 0
        )
    }

    /// A `DECIMAL` column comes back as INTEGER, REAL or TEXT, whichever SQLite's affinity chose.
    static func cents(_ data: SQLiteData) -> Int64 {
        switch data {
        case .integer(let whole): Int64(whole) * 100
        case .float(let value): Int64((value * 100).rounded())
        case .text(let text): LimitPeer.cents(decimalText: text) ?? 0
        default: 0
        }
    }

    /// SQLite's `YYYY-MM-DD HH:MM:SS[.mmm]` as ISO 8601 UTC: the separator becomes `T`, and a
    /// `Z` is added when no zone is written (Wenwex's `Timestamp.iso8601` for text).
    static func timestamp(_ data: SQLiteData) -> String {
        guard case .text(let text) = data else { return "" }
        var utf8 = Array(text.utf8)
        if let space = utf8.firstIndex(of: UInt8(ascii: " ")) { utf8[space] = UInt8(ascii: "T") }
        if utf8.last != UInt8(ascii: "Z"), !utf8.contains(UInt8(ascii: "+")) { utf8.append(UInt8(ascii: "Z")) }
        return String(decoding: utf8, as: UTF8.self)
    }
}

/// Connections handed out one caller at a time, waiting callers served in order.
private actor ConnectionPool {
    private var idle: [SQLiteConnection]
    private var waiters: [CheckedContinuation<SQLiteConnection, Never>] = []

    init(_ connections: [SQLiteConnection]) {
        idle = connections
    }

    private func acquire() async -> SQLiteConnection {
        if let connection = idle.popLast() { return connection }
        return await withCheckedContinuation { waiters.append($0) }
    }

    private func release(_ connection: SQLiteConnection) {
        if waiters.isEmpty { idle.append(connection) } else { waiters.removeFirst().resume(returning: connection) }
    }

    nonisolated func with<Value: Sendable>(_ body: (SQLiteConnection) async throws -> Value) async throws -> Value {
        let connection = await acquire()
        do {
            let value = try await body(connection)
            await release(connection)
            return value
        } catch {
            await release(connection)
            throw error
        }
    }
}
