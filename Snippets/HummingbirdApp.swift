// A Hummingbird app on Wenwex: configuration, guard, migrations, middleware and operations
// routes in the lines before the first route.
import Hummingbird
import WenwexHummingbird
import WenwexSQL

struct Greeting: ResponseCodable {
    var count: Int
}

func serve() async throws {
    // snippet.app
    let platform = try await WenwexPlatform.start(.init(deployMigrations: true))
    let router = Router(context: BasicWenwexRequestContext.self)
    platform.install(on: router)  // request id and log, metrics, problems, consistency; /healthz /readyz /metrics
    router.get("notes/count") { _, context in
        try await platform.database.read(after: context.consistency) { session in
            Greeting(count: try await session.query(#"SELECT COUNT(*) FROM "Note""#).first?[0].integer ?? 0)
        }
    }
    try await platform.makeApplication(router: router).runService()
    // snippet.end
}
