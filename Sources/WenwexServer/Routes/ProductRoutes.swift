import Foundation
import HTTPTypes
import Hummingbird
import WenwexHummingbird

/// The catalogue: list with filters, sorting and cursor pages; create; read; change and
/// delete (the seller or an admin).
struct ProductRoutes: Sendable {
    let store: MarketplaceStore
    let settings: ServerSettings
    let release: ImageRelease

    func register(on router: MarketplaceRouter) {
        router.get("products") { request, context in try await list(request, context) }
        router.post("products") { request, context in try await create(request, context) }
        router.get("products/:id") { _, context in
            let id = try context.id(of: "Product")
            guard let product = try await store.product(id: id, after: context.consistency) else {
                throw Problem.notFound("Product \(id)")
            }
            return JSONResponse(value: product)
        }
        router.patch("products/:id") { request, context in try await update(request, context) }
        router.delete("products/:id") { _, context in try await delete(context) }
    }

    func list(_ request: Request, _ context: MarketplaceRequestContext) async throws -> JSONResponse<Page<ProductView>>
    {
        var errors = FieldErrors()
        let page = PageRequest(request, errors: &errors)
        let parameters = request.uri.queryParameters
        var query = ProductQuery(limit: page.limit, cursor: page.cursor)
        if let sort = parameters.get("sort") {
            if let value = ProductQuery.Sort(rawValue: sort) {
                query.sort = value
            } else {
                errors.add(
                    "sort",
                    "must be one of " + ProductQuery.Sort.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
        }
        if let seller = parameters.get("sellerId") {
            query.sellerID = Int(seller)
            if query.sellerID == nil { errors.add("sellerId", "must be an integer") }
        }
        if let search = parameters.get("q"), !search.isEmpty {
            if search.count > 100 { errors.add("q", "must be at most 100 characters") } else { query.search = search }
        }
        for (field, keyPath) in [("minPrice", \ProductQuery.minPrice), ("maxPrice", \ProductQuery.maxPrice)] {
            if let text = parameters.get(field) {
                if let money = Money(text: text), money.cents >= 0 {
                    query[keyPath: keyPath] = money
                } else {
                    errors.add(field, "must be an amount like 12.50")
                }
            }
        }
        if let inStock = parameters.get("inStock") {
            switch inStock {
            case "true": query.inStockOnly = true
            case "false": query.inStockOnly = false
            default: errors.add("inStock", "must be true or false")
            }
        }
        try errors.throwIfAny()
        return JSONResponse(value: try await store.listProducts(query, after: context.consistency))
    }

    func create(_ request: Request, _ context: MarketplaceRequestContext) async throws -> JSONResponse<ProductView> {
        let identity = try context.requireIdentity()
        let body = try await request.jsonFields(limit: settings.maxJSONBytes)
        var errors = FieldErrors()
        let title = errors.text(body.string("title", &errors), "title", required: true, max: 200)
        let description = errors.text(
            body.string("description", &errors),
            "description",
            required: false,
            max: 5000,
            min: 0
        )
        let price = Self.validPrice(errors.require(body.amountText("price", &errors), "price"), &errors)
        let stock = Self.validStock(body.int("stock", &errors) ?? 0, &errors)
        try errors.throwIfAny()
        guard let title, let price else { throw Problem.validation(errors.errors) }
        let written = try await store.createProduct(
            sellerID: identity.userID,
            title: title,
            description: description,
            price: price,
            stock: stock
        )
        var response = JSONResponse.written(written, status: .created, context: context)
        response.headers[.location] = "/products/\(written.value.id)"
        return response
    }

    func update(_ request: Request, _ context: MarketplaceRequestContext) async throws -> JSONResponse<ProductView> {
        let identity = try context.requireIdentity()
        let id = try context.id(of: "Product")
        try await store.requireProduct(id, modifiableBy: identity, after: context.consistency, to: "change")
        let body = try await request.jsonFields(limit: settings.maxJSONBytes)
        var errors = FieldErrors()
        let newTitle = body.string("title", &errors)
        let title = newTitle.flatMap { errors.text($0, "title", required: true, max: 200) }
        // `"description": null` clears it; a missing key leaves it alone.
        var description: String?? = nil
        if body.contains("description") {
            let text = body.string("description", &errors)
            description = .some(errors.text(text, "description", required: false, max: 5000, min: 0))
        }
        let newPrice = body.amountText("price", &errors)
        let price = newPrice.flatMap { Self.validPrice($0, &errors) }
        let newStock = body.int("stock", &errors)
        let stock = newStock.map { Self.validStock($0, &errors) }
        try errors.throwIfAny()
        let written = try await store.updateProduct(
            id: id,
            title: title,
            description: description,
            price: price,
            stock: stock
        )
        guard let product = written.value else { throw Problem.notFound("Product \(id)") }
        context.recordWrite(written.token)
        return JSONResponse(value: product)
    }

    func delete(_ context: MarketplaceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try context.id(of: "Product")
        try await store.requireProduct(id, modifiableBy: identity, after: context.consistency, to: "delete")
        let written = try await store.deleteProduct(id: id)
        guard let released = written.value else { throw Problem.notFound("Product \(id)") }
        context.recordWrite(written.token)
        await release.release(released, reason: "product deleted")
        return Response(status: .noContent)
    }

    static func validPrice(_ input: String?, _ errors: inout FieldErrors) -> Money? {
        guard let input else { return nil }
        guard let money = Money(text: input), money.cents > 0, money <= Money.maxPrice else {
            errors.add(
                "price",
                "must be an amount greater than 0 and at most \(Money.maxPrice), with at most two decimals"
            )
            return nil
        }
        return money
    }

    static func validStock(_ stock: Int, _ errors: inout FieldErrors) -> Int {
        if !(0...1_000_000).contains(stock) { errors.add("stock", "must be from 0 to 1000000") }
        return stock
    }
}
