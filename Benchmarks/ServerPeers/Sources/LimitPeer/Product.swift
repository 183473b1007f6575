import Foundation
import Hummingbird
import NIOCore

/// A product as the API shows it; text fields already in their JSON form (price `12.50`,
/// timestamps ISO 8601 UTC with milliseconds), as Wenwex's `ProductView`.
struct Product: Sendable {
    var id: Int
    var title: String
    var description: String?
    var price: String
    var stock: Int
    var sellerID: Int
    var createdAt: String
    var updatedAt: String
    var images: [Image] = []

    struct Image: Sendable {
        var id: Int
        var key: String
        var contentType: String
        var size: Int
        var position: Int
    }
}

/// Where the two reads come from: one implementation per driver.
protocol ProductSource: Sendable {
    /// One query: the product `LEFT JOIN` its images, as Wenwex.
    func product(id: Int) async throws -> Product?
    /// Newest first; `LIMIT limit + 1` tells whether there is more. Two queries, as Wenwex:
    /// the products, then their images with `product_id IN (…)`.
    func list(limit: Int) async throws -> (products: [Product], hasMore: Bool)
}

/// The SQL Wenwex sends (Sources/WenwexServer/Store/MarketplaceStore+Products.swift), with the
/// dialect's placeholders.
enum SQL {
    static let productRead = """
        SELECT p.id, p.title, p.description, p.price, p.stock, p.seller_id, p.created_at, p.updated_at, \
        i.id AS image_id, i.key AS image_key, i.content_type AS image_content_type, i.size AS image_size, \
        i.position AS image_position
        FROM products p LEFT JOIN product_images i ON i.product_id = p.id
        WHERE p.id = %@ ORDER BY i.position
        """
    static let productList = """
        SELECT id, title, description, price, stock, seller_id, created_at, updated_at FROM products  \
        ORDER BY id DESC LIMIT %@
        """
    static let images = """
        SELECT id, product_id, key, content_type, size, position FROM product_images
        WHERE product_id IN (%@) ORDER BY product_id, position
        """

    static func with(_ template: String, _ placeholders: String) -> String {
        template.replacingOccurrences(of: "%@", with: placeholders)
    }
}

/// Wenwex's list cursor for "after this id, newest first": base64url of `{"id":N}`, unpadded.
func cursor(after id: Int) -> String {
    Data("{\"id\":\(id)}".utf8).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

/// Cents as `12.50`, the way Wenwex's `Money` prints them.
func money(cents: Int64) -> String {
    let sign = cents < 0 ? "-" : ""
    let absolute = cents.magnitude
    let fraction = absolute % 100
    return "\(sign)\(absolute / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// Parses a decimal's text (`12.5`, `12.50`, `12`) into cents; `nil` beyond two decimals.
func cents(decimalText text: String) -> Int64? {
    let negative = text.hasPrefix("-")
    let parts = (negative ? text.dropFirst() : Substring(text)).split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let whole = Int64(parts[0]) else { return nil }
    var fraction: Int64 = 0
    if parts.count == 2 {
        var digits = parts[1]
        while digits.count > 2, digits.last == "0" { digits.removeLast() }
        guard (1...2).contains(digits.count), let value = Int64(digits) else { return nil }
        fraction = digits.count == 1 ? value * 10 : value
    }
    return (whole * 100 + fraction) * (negative ? -1 : 1)
}

/// The JSON writer: keys in sorted order, optional keys left out when nil, strings escaped as
/// Wenwex's `JSONBuffer` escapes them, so the bytes are the same.
struct JSON {
    var bytes: [UInt8] = []

    init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    func response() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    mutating func page(_ products: [Product], nextCursor: String?) {
        raw("{\"data\":[")
        for (index, product) in products.enumerated() {
            if index > 0 { raw(",") }
            product.write(to: &self)
        }
        raw("]")
        if let nextCursor {
            raw(",\"nextCursor\":")
            string(nextCursor)
        }
        raw("}")
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func int(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension Product {
    func write(to json: inout JSON) {
        json.raw("{\"createdAt\":")
        json.string(createdAt)
        if let description {
            json.raw(",\"description\":")
            json.string(description)
        }
        json.raw(",\"id\":")
        json.int(id)
        json.raw(",\"images\":[")
        for (index, image) in images.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw("{\"contentType\":")
            json.string(image.contentType)
            json.raw(",\"id\":")
            json.int(image.id)
            json.raw(",\"position\":")
            json.int(image.position)
            json.raw(",\"size\":")
            json.int(image.size)
            json.raw(",\"url\":\"/images/")
            // The key goes into the same string as its prefix, escaped the same way.
            var key = JSON(capacity: image.key.utf8.count + 2)
            key.string(image.key)
            json.bytes.append(contentsOf: key.bytes.dropFirst())
            json.raw("}")
        }
        json.raw("],\"price\":")
        json.string(price)
        json.raw(",\"sellerId\":")
        json.int(sellerID)
        json.raw(",\"stock\":")
        json.int(stock)
        json.raw(",\"title\":")
        json.string(title)
        json.raw(",\"updatedAt\":")
        json.string(updatedAt)
        json.raw("}")
    }
}
