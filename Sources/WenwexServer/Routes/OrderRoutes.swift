import HTTPTypes
import Hummingbird
import WenwexHummingbird

/// Placing orders (stock is reserved in the same transaction) and reading your own; admins
/// read everyone's.
struct OrderRoutes: Sendable {
    let store: MarketplaceStore
    let settings: ServerSettings

    static let maxLines = 50

    func register(on router: MarketplaceRouter) {
        router.post("orders") { request, context in try await place(request, context) }
        router.get("orders") { request, context in
            let identity = try context.requireIdentity()
            var errors = FieldErrors()
            let page = PageRequest(request, errors: &errors)
            try errors.throwIfAny()
            let buyer =
                identity.isAdmin ? request.uri.queryParameters.get("buyerId").flatMap { Int($0) } : identity.userID
            return JSONResponse(
                value: try await store.listOrders(
                    buyerID: buyer,
                    cursor: page.cursor,
                    limit: page.limit,
                    after: context.consistency
                )
            )
        }
        router.get("orders/:id") { _, context in
            let identity = try context.requireIdentity()
            let id = try context.id(of: "Order")
            // Someone else's order is reported missing, not forbidden: ids are not a secret,
            // but whether a given order exists is none of another buyer's business.
            guard let order = try await store.order(id: id, after: context.consistency),
                identity.mayModify(ownedBy: order.buyerId)
            else { throw Problem.notFound("Order \(id)") }
            return JSONResponse(value: order)
        }
    }

    func place(_ request: Request, _ context: MarketplaceRequestContext) async throws -> JSONResponse<OrderView> {
        let identity = try context.requireIdentity()
        let body = try await request.jsonFields(limit: settings.maxJSONBytes)
        var errors = FieldErrors()
        var lines: [MarketplaceStore.OrderLine] = []
        if let items = errors.require(body.objects("items", &errors), "items") {
            if items.isEmpty || items.count > Self.maxLines {
                errors.add("items", "must list 1 to \(Self.maxLines) products")
            }
            var seen: Set<Int> = []
            for (index, item) in items.enumerated() {
                let product = errors.require(item.int("productId", &errors), item.field("productId"))
                let quantity = errors.require(item.int("quantity", &errors), item.field("quantity"))
                if let quantity, !(1...1000).contains(quantity) {
                    errors.add("items[\(index)].quantity", "must be from 1 to 1000")
                }
                if let product, !seen.insert(product).inserted {
                    errors.add("items[\(index)].productId", "appears twice; put the total in one line")
                }
                if let product, let quantity { lines.append(.init(productID: product, quantity: quantity)) }
            }
        }
        try errors.throwIfAny()
        do {
            let written = try await store.placeOrder(buyerID: identity.userID, lines: lines)
            var response = JSONResponse.written(written, status: .created, context: context)
            response.headers[.location] = "/orders/\(written.value.id)"
            return response
        } catch MarketplaceStore.OrderFailure.noSuchProduct(let line) {
            throw Problem.validation([.init(field: "items[\(line)].productId", message: "matches no product")])
        } catch MarketplaceStore.OrderFailure.outOfStock(let line, let available) {
            throw Problem(
                .conflict,
                slug: "out-of-stock",
                title: "Not enough stock",
                detail: "Nothing was ordered.",
                errors: [.init(field: "items[\(line)].quantity", message: "only \(available) in stock")]
            )
        }
    }
}
