// VaporPeer: the marketplace's two hot reads as a Vapor 4 + Fluent user writes them: Fluent
// models, `.with(\.$images)` eager loading, a Codable response encoded by Vapor's content
// system (`JSONEncoder`, sorted keys, so the bytes match Wenwex's).
//
// Usage: VaporPeer (environment)
//   PORT          the loopback port to listen on (default 8082)
//   DB            sqlite | postgres
//   SQLITE_PATH   the database file (sqlite)
//   DATABASE_URL  postgres://user[:password]@host:port/database, the replica to read (postgres)
//   POOL_SIZE     connections in all, spread over the event loops (default: 4 for SQLite,
//                 16 for PostgreSQL, as Wenwex opens)
//   LOG_LEVEL     swift-log level (default error)

import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

let environment = ProcessInfo.processInfo.environment
let level = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
}

let app = try await Application.make(.production)
app.logger.logLevel = level
app.http.server.configuration.hostname = "127.0.0.1"
app.http.server.configuration.port = Int(environment["PORT"] ?? "") ?? 8082
// Fluent pools per event loop; Vapor runs one event loop per core.
let loops = System.coreCount
switch environment["DB"] ?? "sqlite" {
case "postgres":
    guard let url = environment["DATABASE_URL"] else { fatalError("DATABASE_URL is required for DB=postgres") }
    let total = Int(environment["POOL_SIZE"] ?? "") ?? 16
    var configuration = try SQLPostgresConfiguration(url: url)
    configuration.coreConfiguration.tls = .disable
    app.databases.use(
        .postgres(configuration: configuration, maxConnectionsPerEventLoop: max(1, total / loops), sqlLogLevel: .debug),
        as: .psql
    )
default:
    guard let path = environment["SQLITE_PATH"] else { fatalError("SQLITE_PATH is required for DB=sqlite") }
    let total = Int(environment["POOL_SIZE"] ?? "") ?? 4
    app.databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: max(1, total / loops), sqlLogLevel: nil), as: .sqlite)
}

let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
ContentConfiguration.global.use(encoder: encoder, for: .json)

app.get("products", ":id") { request async throws -> ProductResponse in
    guard let id = request.parameters.get("id", as: Int.self) else { throw Abort(.badRequest) }
    guard let product = try await Product.query(on: request.db).filter(\.$id == id).with(\.$images).first() else {
        throw Abort(.notFound)
    }
    return ProductResponse(product)
}

app.get("products") { request async throws -> PageResponse in
    // Wenwex's defaults: 20 a page, at most 100, newest first; one extra row says there is more.
    let limit = (try? request.query.get(Int.self, at: "limit")) ?? 20
    guard (1...100).contains(limit) else { throw Abort(.badRequest) }
    var products = try await Product.query(on: request.db).sort(\.$id, .descending).limit(limit + 1)
        .with(\.$images).all()
    let hasMore = products.count > limit
    if hasMore { products.removeLast(products.count - limit) }
    return PageResponse(
        data: products.map(ProductResponse.init),
        nextCursor: hasMore ? products.last.flatMap(\.id).map(cursor(after:)) : nil
    )
}

try await app.execute()
try await app.asyncShutdown()
