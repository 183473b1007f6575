// LimitPeer: the ceiling for the marketplace's two hot reads. Bare Hummingbird 2, the drivers
// called directly with the same SQL `wenwex serve` sends, the JSON written straight into a
// buffer with the same bytes. Whatever Wenwex spends above this is its own overhead.
//
// Usage: LimitPeer (environment)
//   PORT          the loopback port to listen on (default 8081)
//   DB            sqlite | postgres
//   SQLITE_PATH   the database file (sqlite)
//   DATABASE_URL  postgres://user[:password]@host:port/database, the replica to read (postgres)
//   POOL_SIZE     connections (default: 4 for SQLite, 16 for PostgreSQL, as Wenwex opens)
//   LOG_LEVEL     swift-log level (default error)

import Foundation
import Hummingbird
import Logging
import PostgresNIO
import SQLiteNIO

/// Everything lives in a function: main.swift's globals would be main-actor isolated, and the
/// route closures run off the main actor.
func serve() async throws {
    let environment = ProcessInfo.processInfo.environment
    let level = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    var logger = Logger(label: "limit-peer")
    logger.logLevel = level

    let port = Int(environment["PORT"] ?? "") ?? 8081
    let store: any ProductSource
    var postgres: PostgresProducts?
    switch environment["DB"] ?? "sqlite" {
    case "postgres":
        guard let url = environment["DATABASE_URL"] else { fatalError("DATABASE_URL is required for DB=postgres") }
        let source = try PostgresProducts(url: url, poolSize: Int(environment["POOL_SIZE"] ?? "") ?? 16, logger: logger)
        postgres = source
        store = source
    default:
        guard let path = environment["SQLITE_PATH"] else { fatalError("SQLITE_PATH is required for DB=sqlite") }
        store = try await SQLiteProducts.open(path: path, poolSize: Int(environment["POOL_SIZE"] ?? "") ?? 4, logger: logger)
    }

    let router = Router()
    router.get("products/:id") { _, context -> Response in
        guard let id = context.parameters.get("id", as: Int.self) else { return Response(status: .badRequest) }
        guard let product = try await store.product(id: id) else { return Response(status: .notFound) }
        var json = JSON()
        product.write(to: &json)
        return json.response()
    }
    router.get("products") { request, _ -> Response in
        // Wenwex's defaults: 20 a page, at most 100, newest first.
        let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 20
        guard (1...100).contains(limit) else { return Response(status: .badRequest) }
        let (products, hasMore) = try await store.list(limit: limit)
        var json = JSON(capacity: 8192)
        json.page(products, nextCursor: hasMore ? products.last.map { cursor(after: $0.id) } : nil)
        return json.response()
    }

    let application = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "limit-peer"),
        services: postgres.map { [$0.client] } ?? [],
        logger: logger
    )
    try await application.runService()
}

try await serve()
