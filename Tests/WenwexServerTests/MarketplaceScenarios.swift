import Foundation
import NIOHTTP1
import Testing

/// The end-to-end scenarios, written once and run against the server on SQLite and on
/// PostgreSQL with a streaming replica.
struct MarketplaceScenarios {
    let baseURL: String
    /// Makes a user an admin the way an operator would, in the database; returns the write's
    /// consistency token.
    let promoteToAdmin: @Sendable (Int) async throws -> String

    func client() -> TestClient { TestClient(baseURL: baseURL) }

    func runAll() async throws {
        try await referralSignUpAndProfiles()
        try await catalogueOrdersAndComments()
        try await images()
        try await bansAndBadInput()
        try await operations()
    }

    func referralSignUpAndProfiles() async throws {
        let alice = client()
        let aliceUser = try await alice.signUp("alice@example.com", name: "Alice")
        let aliceID = try #require(aliceUser["id"] as? Int)
        let code = try #require(aliceUser["referralCode"] as? String)
        #expect(code.count == 8)

        let bob = client()
        let bobUser = try await bob.signUp("Bob@Example.com", name: "Bob", referralCode: code.lowercased())
        let bobID = try #require(bobUser["id"] as? Int)
        #expect(bobUser["referredById"] as? Int == aliceID)
        #expect(bobUser["email"] as? String == "bob@example.com")

        let me = try await alice.send(.GET, "/users/me")
        #expect(me.status == 200)
        #expect(me.json["referralCount"] as? Int == 1)

        let unknownCode = try await client().send(
            .POST,
            "/auth/signup",
            json: #"{"email":"carol@example.com","password":"long enough pw","referralCode":"NOPE2345"}"#
        )
        #expect(unknownCode.status == 422)
        #expect(unknownCode.fieldErrors == ["referralCode"])

        let duplicate = try await client().send(
            .POST,
            "/auth/signup",
            json: #"{"email":"ALICE@example.com","password":"long enough pw"}"#
        )
        #expect(duplicate.status == 409)
        #expect(duplicate.fieldErrors == ["email"])

        let publicProfile = try await bob.send(.GET, "/users/\(aliceID)")
        #expect(publicProfile.status == 200)
        #expect(publicProfile.json["name"] as? String == "Alice")
        #expect(publicProfile.json["email"] == nil)

        let foreignEdit = try await bob.send(.PATCH, "/users/\(aliceID)", json: #"{"name":"Mallory"}"#)
        #expect(foreignEdit.status == 403)
        let ownEdit = try await bob.send(.PATCH, "/users/\(bobID)", json: #"{"name":"Robert"}"#)
        #expect(ownEdit.status == 200)
        #expect(ownEdit.json["name"] as? String == "Robert")

        let wrongPassword = try await client().send(
            .POST,
            "/auth/signin",
            json: #"{"email":"bob@example.com","password":"not the password"}"#
        )
        #expect(wrongPassword.status == 401)
        let unknownEmail = try await client().send(
            .POST,
            "/auth/signin",
            json: #"{"email":"nobody@example.com","password":"not the password"}"#
        )
        #expect(unknownEmail.status == 401)
        let signIn = try await client().send(
            .POST,
            "/auth/signin",
            json: #"{"email":"bob@example.com","password":"correct horse battery"}"#
        )
        #expect(signIn.status == 200)
        #expect((signIn.json["token"] as? String)?.isEmpty == false)
    }

    func catalogueOrdersAndComments() async throws {
        let seller = client()
        let sellerID = try #require(try await seller.signUp("seller@example.com")["id"] as? Int)
        let prices = ["5.00", "12.50", "7.25", "30", "1.99"]
        var ids: [Int] = []
        for (index, price) in prices.enumerated() {
            ids.append(try await seller.createProduct("Desk Lamp \(index)", price: price, stock: 5))
        }

        // Cursor pages by price, two at a time: every product once, in price order.
        var seen: [String] = []
        var cursor: String? = nil
        var pages = 0
        repeat {
            let query = "/products?sellerId=\(sellerID)&sort=price&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try await seller.send(.GET, query)
            #expect(page.status == 200)
            let data = try #require(page.json["data"] as? [[String: Any]])
            seen += data.compactMap { $0["price"] as? String }
            cursor = page.json["nextCursor"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        #expect(seen == ["1.99", "5.00", "7.25", "12.50", "30.00"])
        #expect(pages == 3)

        let search = try await seller.send(.GET, "/products?sellerId=\(sellerID)&q=LAMP%203")
        #expect((search.json["data"] as? [[String: Any]])?.count == 1)
        let range = try await seller.send(.GET, "/products?sellerId=\(sellerID)&minPrice=7&maxPrice=20&sort=-price")
        #expect((range.json["data"] as? [[String: Any]])?.compactMap { $0["price"] as? String } == ["12.50", "7.25"])
        let invalid = try await seller.send(.GET, "/products?limit=0&sort=bogus&minPrice=abc")
        #expect(invalid.status == 422)
        #expect(Set(invalid.fieldErrors) == ["limit", "sort", "minPrice"])

        let buyer = client()
        let buyerID = try #require(try await buyer.signUp("buyer@example.com")["id"] as? Int)
        let order = try await buyer.send(
            .POST,
            "/orders",
            json: #"{"items":[{"productId":\#(ids[1]),"quantity":2},{"productId":\#(ids[4]),"quantity":1}]}"#
        )
        #expect(order.status == 201)
        #expect(order.json["total"] as? String == "26.99")
        #expect(order.json["status"] as? String == "PENDING")
        let orderID = try #require(order.json["id"] as? Int)
        let afterOrder = try await buyer.send(.GET, "/products/\(ids[1])")
        #expect(afterOrder.json["stock"] as? Int == 3)

        let tooMany = try await buyer.send(
            .POST,
            "/orders",
            json: #"{"items":[{"productId":\#(ids[0]),"quantity":1},{"productId":\#(ids[1]),"quantity":4}]}"#
        )
        #expect(tooMany.status == 409)
        #expect(tooMany.fieldErrors == ["items[1].quantity"])
        // All or nothing: the first line's stock was not taken either.
        #expect(try await buyer.send(.GET, "/products/\(ids[0])").json["stock"] as? Int == 5)
        let badLines = try await buyer.send(.POST, "/orders", json: #"{"items":[{"productId":999999,"quantity":0}]}"#)
        #expect(badLines.status == 422)
        #expect(badLines.fieldErrors == ["items[0].quantity"])

        let myOrders = try await buyer.send(.GET, "/orders")
        #expect((myOrders.json["data"] as? [[String: Any]])?.first?["id"] as? Int == orderID)
        #expect(try await seller.send(.GET, "/orders/\(orderID)").status == 404)
        #expect(try await buyer.send(.GET, "/orders/\(orderID)").json["buyerId"] as? Int == buyerID)

        let comment = try await buyer.send(
            .POST,
            "/products/\(ids[1])/comments",
            json: #"{"body":"  Bright and sturdy. "}"#
        )
        #expect(comment.status == 201)
        #expect(comment.json["body"] as? String == "Bright and sturdy.")
        // Read by another visitor once the comment has replicated (they carry its token).
        let reader = client()
        reader.adoptConsistency(from: buyer)
        let comments = try await reader.send(.GET, "/products/\(ids[1])/comments")
        #expect((comments.json["data"] as? [[String: Any]])?.map { $0["authorId"] as? Int } == [buyerID])
        #expect(
            try await buyer.send(.POST, "/products/\(ids[1])/comments", json: #"{"body":" "}"#).fieldErrors == ["body"]
        )
        #expect(try await client().send(.POST, "/products/\(ids[1])/comments", json: #"{"body":"hi"}"#).status == 401)

        #expect(try await buyer.send(.PATCH, "/products/\(ids[1])", json: #"{"price":"1.00"}"#).status == 403)
        let repriced = try await seller.send(
            .PATCH,
            "/products/\(ids[1])",
            json: #"{"price":13.75,"description":null}"#
        )
        #expect(repriced.status == 200)
        #expect(repriced.json["price"] as? String == "13.75")
        #expect(try await buyer.send(.DELETE, "/products/\(ids[2])").status == 403)
        #expect(try await seller.send(.DELETE, "/products/\(ids[2])").status == 204)
        #expect(try await seller.send(.GET, "/products/\(ids[2])").status == 404)
    }

    func images() async throws {
        let seller = client()
        try await seller.signUp("photographer@example.com")
        let product = try await seller.createProduct("Camera", price: "99.00")
        let upload = try await seller.send(
            .POST,
            "/products/\(product)/images",
            body: onePixelPNG,
            headers: [("Content-Type", "image/png")]
        )
        #expect(upload.status == 201, "\(upload.text)")
        let url = try #require(upload.json["url"] as? String)
        #expect(url.hasPrefix("/images/") && url.hasSuffix(".png") && url.count == "/images/".count + 64 + 4)
        let listed = try await seller.send(.GET, "/products/\(product)")
        #expect((listed.json["images"] as? [[String: Any]])?.first?["url"] as? String == url)

        let visitor = client()
        let full = try await visitor.send(.GET, url)
        #expect(full.status == 200)
        #expect(full.body == onePixelPNG)
        #expect(full.header("Cache-Control") == "public, max-age=31536000, immutable")
        #expect(full.header("Content-Type") == "image/png")
        let etag = try #require(full.header("ETag"))
        #expect(full.header("Surrogate-Key") == "images image-\(etag.dropFirst().dropLast())")
        let headOnly = try await visitor.send(.HEAD, url)
        #expect(headOnly.status == 200)
        #expect(headOnly.header("Content-Length") == String(onePixelPNG.count))
        #expect(headOnly.header("ETag") == etag)
        let revalidated = try await visitor.send(.GET, url, headers: [("If-None-Match", etag)])
        #expect(revalidated.status == 304)
        #expect(revalidated.body.isEmpty)
        let head = try await visitor.send(.GET, url, headers: [("Range", "bytes=0-7")])
        #expect(head.status == 206)
        #expect(head.body == Array(onePixelPNG[0...7]))
        #expect(head.header("Content-Range") == "bytes 0-7/\(onePixelPNG.count)")
        let tail = try await visitor.send(.GET, url, headers: [("Range", "bytes=-4")])
        #expect(tail.body == Array(onePixelPNG.suffix(4)))
        let past = try await visitor.send(.GET, url, headers: [("Range", "bytes=5000-")])
        #expect(past.status == 416)
        #expect(past.header("Content-Range") == "bytes */\(onePixelPNG.count)")

        let wrongType = try await seller.send(
            .POST,
            "/products/\(product)/images",
            body: Array("hello".utf8),
            headers: [("Content-Type", "text/plain")]
        )
        #expect(wrongType.status == 415)
        let disguised = try await seller.send(
            .POST,
            "/products/\(product)/images",
            body: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0],
            headers: [("Content-Type", "image/png")]
        )
        #expect(disguised.status == 422)
        let huge = try await seller.send(
            .POST,
            "/products/\(product)/images",
            body: onePixelPNG + [UInt8](repeating: 0, count: 2 << 20),
            headers: [("Content-Type", "image/png")]
        )
        #expect(huge.status == 413)
        let stranger = client()
        try await stranger.signUp("stranger@example.com")
        let foreign = try await stranger.send(
            .POST,
            "/products/\(product)/images",
            body: onePixelPNG,
            headers: [("Content-Type", "image/png")]
        )
        #expect(foreign.status == 403)
        #expect(try await visitor.send(.GET, "/images/not-a-key.png").status == 404)
    }

    func bansAndBadInput() async throws {
        let admin = client()
        let adminID = try #require(try await admin.signUp("admin@example.com")["id"] as? Int)
        admin.adoptConsistency(try await promoteToAdmin(adminID))
        let troll = client()
        let trollID = try #require(try await troll.signUp("troll@example.com")["id"] as? Int)
        #expect(try await troll.send(.POST, "/users/\(adminID)/ban").status == 403)

        let ban = try await admin.send(.POST, "/users/\(trollID)/ban")
        #expect(ban.status == 200)
        #expect(ban.json["banned"] as? Bool == true)
        // Once the ban has reached the replica serving them (the troll carries its token here),
        // every request that needs the account is refused; sign-in reads the primary at once.
        troll.adoptConsistency(from: admin)
        let refused = try await troll.send(.POST, "/products", json: #"{"title":"Spam","price":"1"}"#)
        #expect(refused.status == 403)
        #expect(refused.json["type"] as? String == "https://wenwex.dev/problems/banned")
        let signIn = try await client().send(
            .POST,
            "/auth/signin",
            json: #"{"email":"troll@example.com","password":"correct horse battery"}"#
        )
        #expect(signIn.status == 403)
        #expect(try await admin.send(.DELETE, "/users/\(trollID)/ban").status == 200)
        troll.adoptConsistency(from: admin)
        #expect(try await troll.send(.GET, "/users/me").status == 200)

        // Role changes: admins only, never their own, and the role must be one there is.
        #expect(try await troll.send(.PUT, "/users/\(adminID)/role", json: #"{"role":"USER"}"#).status == 403)
        #expect(try await admin.send(.PUT, "/users/\(adminID)/role", json: #"{"role":"USER"}"#).status == 403)
        let unknownRole = try await admin.send(.PUT, "/users/\(trollID)/role", json: #"{"role":"ROOT"}"#)
        #expect(unknownRole.status == 422)
        #expect(unknownRole.text.contains("must be ADMIN or USER"), "\(unknownRole.text)")
        let promoted = try await admin.send(.PUT, "/users/\(trollID)/role", json: #"{"role":"admin"}"#)
        #expect(promoted.status == 200, "\(promoted.text)")
        #expect(promoted.json["role"] as? String == "ADMIN")
        let demoted = try await admin.send(.PUT, "/users/\(trollID)/role", json: #"{"role":"USER"}"#)
        #expect(demoted.json["role"] as? String == "USER")

        let malformed = try await troll.send(
            .POST,
            "/products",
            json: "{not json",
            headers: [("X-Request-Id", "test-123")]
        )
        #expect(malformed.status == 400)
        #expect(malformed.header("Content-Type") == "application/problem+json")
        #expect(malformed.header("X-Request-Id") == "test-123")
        #expect(malformed.json["requestId"] as? String == "test-123")
        let wrongType = try await troll.send(.POST, "/products", json: #"{"title":"Lamp","price":"2","stock":"many"}"#)
        #expect(wrongType.fieldErrors == ["stock"])
        // Wrong types and wrong values, all reported in one response.
        let everything = try await troll.send(.POST, "/products", json: #"{"title":5,"price":"1.999","stock":2.5}"#)
        #expect(everything.status == 422)
        #expect(everything.fieldErrors == ["title", "price", "stock"])
        let lines = try await troll.send(.POST, "/orders", json: #"{"items":[{"productId":"7","quantity":1},3]}"#)
        #expect(lines.fieldErrors == ["items[1]", "items[0].productId"])
        #expect(try await troll.send(.POST, "/orders", json: "[1,2]").status == 400)

        let badSignUp = try await client().send(
            .POST,
            "/auth/signup",
            json: #"{"email":"not-an-email","password":"short"}"#
        )
        #expect(badSignUp.status == 422)
        #expect(badSignUp.fieldErrors == ["email", "password"])

        let forged = try await client().send(.GET, "/users/me", headers: [("Authorization", "Bearer abc.def.ghi")])
        #expect(forged.status == 401)
        #expect(forged.header("WWW-Authenticate") == "Bearer")
        #expect(try await client().send(.GET, "/users/me").status == 401)
        #expect(try await client().send(.GET, "/no/such/route").status == 404)
    }

    func operations() async throws {
        let visitor = client()
        #expect(try await visitor.send(.GET, "/healthz").status == 200)
        let ready = try await visitor.send(.GET, "/readyz")
        #expect(ready.status == 200)
        #expect(ready.json["ready"] as? Bool == true)
        let metrics = try await visitor.send(.GET, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("http_requests_total{"))
        #expect(metrics.text.contains(#"route="/products/{id}""#) || metrics.text.contains(#"route="/products/:id""#))
    }
}
