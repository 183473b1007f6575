import HTTPTypes
import Hummingbird
import WenwexHummingbird
import WenwexRouting

typealias MarketplaceRouter = Router<MarketplaceRequestContext>

extension MarketplaceRequestContext {
    /// The integer path parameter `name`; a value that is not one names nothing, so 404.
    func id(_ name: String = "id", of what: String) throws(Problem) -> Int {
        guard let value = parameters.get(name), let id = Int(value), id > 0 else {
            throw Problem.notFound("\(what) \(parameters.get(name) ?? "")")
        }
        return id
    }
}

extension MarketplaceStore {
    /// 404 when the product does not exist, 403 when it is someone else's: the check before
    /// anything that changes a product or its images.
    func requireProduct(
        _ id: Int,
        modifiableBy identity: Identity,
        after token: ConsistencyToken?,
        to action: String
    ) async throws {
        guard let seller = try await sellerID(ofProduct: id, after: token) else {
            throw Problem.notFound("Product \(id)")
        }
        guard identity.mayModify(ownedBy: seller) else {
            throw Problem.forbidden("Only the seller or an admin can \(action) product \(id).")
        }
    }
}

/// Reads `limit` and `cursor` from a list request, reporting both problems at once.
struct PageRequest {
    var limit: Int
    var cursor: Cursor?

    static let defaultLimit = 20

    init(_ request: Request, errors: inout FieldErrors) {
        let query = request.uri.queryParameters
        limit = Self.defaultLimit
        if let text = query.get("limit") {
            if let value = Int(text), (1...ProductQuery.maxLimit).contains(value) {
                limit = value
            } else {
                errors.add("limit", "must be an integer from 1 to \(ProductQuery.maxLimit)")
            }
        }
        if let text = query.get("cursor") {
            cursor = Cursor(encoded: text)
            if cursor == nil { errors.add("cursor", "is not a cursor this API returned; start again without it") }
        }
    }
}

extension JSONResponse {
    /// A write's response: the client will see the write on its next read.
    static func written(
        _ written: Written<Value>,
        status: HTTPResponse.Status = .ok,
        context: MarketplaceRequestContext
    ) -> JSONResponse<Value> {
        context.recordWrite(written.token)
        return JSONResponse(status: status, value: written.value)
    }
}
