import Fluent
import Foundation
import Vapor

/// `products`, as the marketplace's migrations create it. `price` is a `Double`: the type both
/// Fluent drivers decode `DECIMAL` into (Postgres `numeric`, SQLite REAL/INTEGER).
final class Product: Model, @unchecked Sendable {
    static let schema = "products"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "title") var title: String
    @OptionalField(key: "description") var description: String?
    @Field(key: "price") var price: Double
    @Field(key: "stock") var stock: Int
    @Field(key: "seller_id") var sellerID: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Children(for: \.$product) var images: [ProductImage]

    init() {}
}

final class ProductImage: Model, @unchecked Sendable {
    static let schema = "product_images"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "product_id") var product: Product
    @Field(key: "key") var key: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "position") var position: Int

    init() {}
}

/// The API's product: Wenwex's `ProductView` field for field. Codable's synthesized `encode`
/// leaves a nil `description` out, as Wenwex does.
struct ProductResponse: Content {
    var createdAt: String
    var description: String?
    var id: Int
    var images: [ImageResponse]
    var price: String
    var sellerId: Int
    var stock: Int
    var title: String
    var updatedAt: String

    init(_ product: Product) {
        createdAt = timestamp(product.createdAt)
        description = product.description
        id = product.id ?? 0
        // Fluent's eager load does not sort children; Wenwex orders by position.
        images = product.images.sorted { $0.position < $1.position }.map(ImageResponse.init)
        price = money(cents: Int64((product.price * 100).rounded()))
        sellerId = product.sellerID
        stock = product.stock
        title = product.title
        updatedAt = timestamp(product.updatedAt)
    }
}

struct ImageResponse: Content {
    var contentType: String
    var id: Int
    var position: Int
    var size: Int
    var url: String

    init(_ image: ProductImage) {
        contentType = image.contentType
        id = image.id ?? 0
        position = image.position
        size = image.size
        url = "/images/" + image.key
    }
}

struct PageResponse: Content {
    var data: [ProductResponse]
    var nextCursor: String?
}

/// Half a millisecond: the format style truncates to the millisecond and a `Date` holds `.517`
/// a hair below it, so the instant is rounded first; Wenwex prints the stored milliseconds
/// exactly on both databases.
nonisolated(unsafe) var timestampNudge: TimeInterval = 0.0005

/// ISO 8601 UTC with milliseconds, as Wenwex prints both dialects' timestamps.
func timestamp(_ date: Date) -> String {
    date.addingTimeInterval(timestampNudge)
        .formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)) + "Z"
}

/// Cents as `12.50`.
func money(cents: Int64) -> String {
    let sign = cents < 0 ? "-" : ""
    let absolute = cents.magnitude
    let fraction = absolute % 100
    return "\(sign)\(absolute / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// Wenwex's list cursor for "after this id, newest first": base64url of `{"id":N}`, unpadded.
func cursor(after id: Int) -> String {
    Data("{\"id\":\(id)}".utf8).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}
