import Foundation
import Hummingbird
import WenwexHummingbird
import WenwexSQL

/// The smallest Wenwex app: one model (`Note`), the Wenwex middleware, `/healthz`, `/readyz`
/// and `/metrics`, reads on a replica that has seen the client's last write. The Wenwex part is
/// the ten lines of `main` that are not routes.
@main
struct NotesExample {
    static func main() async throws {
        do {
            let platform = try await WenwexPlatform.start(.init(deployMigrations: true))
            let router = Router(context: BasicWenwexRequestContext.self)
            platform.install(on: router)
            NoteRoutes(database: platform.database).register(on: router)
            let app = platform.makeApplication(router: router) { port in
                platform.logger.info("notes listening on http://127.0.0.1:\(port)")
            }
            try await app.runService()
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))  // says what, where and how to fix
            exit(1)
        }
    }
}
