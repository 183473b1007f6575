/// The JSON the API returns. Field names are camelCase like the Prisma models they mirror;
/// money is a decimal string (`"12.50"`) so no client rounds it through a float.

struct UserView: Codable, Sendable, Equatable {
    var id: Int
    var name: String?
    var role: String
    var createdAt: String
    /// Only for the user themself and admins.
    var email: String?
    var referralCode: String?
    var referredById: Int?
    var referralCount: Int?
    var banned: Bool?
}

struct ProductView: Codable, Sendable, Equatable {
    var id: Int
    var title: String
    var description: String?
    var price: String
    var stock: Int
    var sellerId: Int
    var images: [ImageView]
    var createdAt: String
    var updatedAt: String
}

struct ImageView: Codable, Sendable, Equatable {
    var id: Int
    var url: String
    var contentType: String
    var size: Int
    var position: Int
}

/// An image key a change stopped using: its object is removed unless another image row still
/// points at it (images are stored once per content hash), and caches are told to forget it.
struct ReleasedImage: Sendable, Equatable {
    var key: String
    var stillUsed: Bool
}

struct OrderView: Codable, Sendable, Equatable {
    var id: Int
    var buyerId: Int
    var status: String
    var total: String
    var createdAt: String
    var items: [OrderItemView]
}

struct OrderItemView: Codable, Sendable, Equatable {
    var productId: Int
    var quantity: Int
    var unitPrice: String
}

struct CommentView: Codable, Sendable, Equatable {
    var id: Int
    var body: String
    var authorId: Int
    var productId: Int
    var createdAt: String
}

/// A user row with what sign-in and authentication need.
struct Account: Sendable {
    var id: Int
    var email: String
    var passwordHash: String
    var role: Identity.Role
    var banned: Bool
}
