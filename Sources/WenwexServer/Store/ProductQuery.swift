import WenwexSQL

/// What a product list asks for: filters, a sort and a page.
struct ProductQuery: Sendable, Equatable {
    /// `?sort=` values; a leading `-` sorts descending. `createdAt` follows the id, which grows
    /// with every insert, so the keyset needs no timestamp comparisons.
    enum Sort: String, Sendable, CaseIterable {
        case newest = "-createdAt"
        case oldest = "createdAt"
        case cheapest = "price"
        case priciest = "-price"
        case titleAscending = "title"
        case titleDescending = "-title"

        var column: String? {
            switch self {
            case .newest, .oldest: nil
            case .cheapest, .priciest: "price"
            case .titleAscending, .titleDescending: "title"
            }
        }

        var isAscending: Bool {
            switch self {
            case .oldest, .cheapest, .titleAscending: true
            case .newest, .priciest, .titleDescending: false
            }
        }
    }

    var sort: Sort = .newest
    var sellerID: Int?
    /// Words the title must contain, case-insensitively.
    var search: String?
    var minPrice: Money?
    var maxPrice: Money?
    var inStockOnly = false
    var limit = 20
    var cursor: Cursor?

    static let maxLimit = 100
}
