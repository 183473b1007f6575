import HTTPTypes
import Hummingbird
import WenwexHummingbird

/// Comments on a product: anyone reads them, signed-in users write them.
struct CommentRoutes: Sendable {
    let store: MarketplaceStore
    let settings: ServerSettings

    func register(on router: MarketplaceRouter) {
        router.get("products/:id/comments") { request, context in
            let id = try context.id(of: "Product")
            var errors = FieldErrors()
            let page = PageRequest(request, errors: &errors)
            try errors.throwIfAny()
            guard
                let comments = try await store.listComments(
                    productID: id,
                    cursor: page.cursor,
                    limit: page.limit,
                    after: context.consistency
                )
            else { throw Problem.notFound("Product \(id)") }
            return JSONResponse(value: comments)
        }
        router.post("products/:id/comments") { request, context in
            let identity = try context.requireIdentity()
            let id = try context.id(of: "Product")
            let input = try await request.jsonFields(limit: settings.maxJSONBytes)
            var errors = FieldErrors()
            let body = errors.text(input.string("body", &errors), "body", required: true, max: 2000)
            try errors.throwIfAny()
            guard let body else { throw Problem.validation(errors.errors) }
            let written = try await store.addComment(productID: id, authorID: identity.userID, body: body)
            guard let comment = written.value else { throw Problem.notFound("Product \(id)") }
            context.recordWrite(written.token)
            return JSONResponse(status: .created, value: comment)
        }
    }
}
