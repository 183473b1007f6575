import Hummingbird
import WenwexEdge
import WenwexHummingbird
import WenwexRouting

/// Profiles: your own (with email and referral code), anyone's public one, changes to your own
/// (admins: anyone's), and bans and role changes by admins, each recorded in the audit log.
struct UserRoutes: Sendable {
    let store: MarketplaceStore
    let passwords: PasswordHasher
    let settings: ServerSettings
    /// Told of every ban and un-ban, so the edge nodes enforce it within a second.
    let bans: BanFeed

    func register(on router: MarketplaceRouter) {
        router.get("users/me") { _, context in
            let identity = try context.requireIdentity()
            return JSONResponse(value: try await user(identity.userID, private: true, context))
        }
        router.get("users/:id") { _, context in
            let id = try context.id(of: "User")
            let isPrivate = context.identity?.mayModify(ownedBy: id) ?? false
            return JSONResponse(value: try await user(id, private: isPrivate, context))
        }
        router.patch("users/:id") { request, context in try await update(request, context) }
        router.post("users/:id/ban") { _, context in try await ban(context, true) }
        router.delete("users/:id/ban") { _, context in try await ban(context, false) }
        router.put("users/:id/role") { request, context in try await changeRole(request, context) }
    }

    func user(_ id: Int, private: Bool, _ context: MarketplaceRequestContext) async throws -> UserView {
        guard let user = try await store.user(id: id, private: `private`, after: context.consistency) else {
            throw Problem.notFound("User \(id)")
        }
        return user
    }

    func update(_ request: Request, _ context: MarketplaceRequestContext) async throws -> JSONResponse<UserView> {
        let identity = try context.requireIdentity()
        let id = try context.id(of: "User")
        guard identity.mayModify(ownedBy: id) else { throw Problem.forbidden("You can change only your own account.") }
        let body = try await request.jsonFields(limit: settings.maxJSONBytes)
        var errors = FieldErrors()
        // `"name": null` clears the name; a missing key leaves it alone.
        var name: String?? = nil
        if body.contains("name") {
            name = .some(errors.text(body.string("name", &errors), "name", required: false, max: 100))
        }
        let newPassword = body.string("password", &errors)
        let password = newPassword.flatMap { AuthRoutes.validPassword($0, "password", &errors) }
        try errors.throwIfAny()
        let hash: String? = if let password { try await passwords.hash(password) } else { nil }
        let written = try await store.updateUser(id: id, name: name, passwordHash: hash)
        return try await view(id, after: written.token, context)
    }

    func ban(_ context: MarketplaceRequestContext, _ banned: Bool) async throws -> JSONResponse<UserView> {
        let identity = try context.requireIdentity()
        guard identity.isAdmin else { throw Problem.forbidden("Only admins can ban or un-ban users.") }
        let id = try context.id(of: "User")
        guard id != identity.userID else { throw Problem.forbidden("Admins cannot ban themselves.") }
        let written = try await store.setBanned(id: id, banned)
        guard written.value else { throw Problem.notFound("User \(id)") }
        if banned { bans.ban(user: String(id)) } else { bans.unban(user: String(id)) }
        try await store.audit(actor: identity, action: banned ? "ban user" : "unban user", target: "user \(id)")
        return try await view(id, after: written.token, context)
    }

    /// `{"role": "ADMIN"}` or `{"role": "USER"}`: admins only, and never their own.
    func changeRole(_ request: Request, _ context: MarketplaceRequestContext) async throws -> JSONResponse<UserView> {
        let identity = try context.requireIdentity()
        guard identity.isAdmin else { throw Problem.forbidden("Only admins can change roles.") }
        let id = try context.id(of: "User")
        guard id != identity.userID else { throw Problem.forbidden("Admins cannot change their own role.") }
        let body = try await request.jsonFields(limit: settings.maxJSONBytes)
        var errors = FieldErrors()
        let text = errors.require(body.string("role", &errors), "role")
        guard let role = text.flatMap({ Identity.Role(rawValue: $0.uppercased()) }) else {
            if text != nil { errors.add("role", "must be ADMIN or USER") }
            throw Problem.validation(errors.errors)
        }
        let written = try await store.setRole(id: id, role)
        guard written.value else { throw Problem.notFound("User \(id)") }
        try await store.audit(actor: identity, action: "change role", target: "user \(id)", detail: role.rawValue)
        return try await view(id, after: written.token, context)
    }

    /// The user's private view after a write, read where the write is visible.
    func view(_ id: Int, after token: ConsistencyToken, _ context: MarketplaceRequestContext) async throws
        -> JSONResponse<UserView>
    {
        context.recordWrite(token)
        var after = context
        after.consistency = token
        return JSONResponse(value: try await user(id, private: true, after))
    }
}
