// Load a project's configuration, see every problem at once, and read typed values.
import Foundation
import WenwexConfig

// snippet.load
do {
    // The nearest wenwex.toml upwards, the environment from WENWEX_ENV (default dev), and every
    // dotenv layer; a wrong value anywhere is reported with its file and line.
    let configuration = try WenwexConfiguration.load(
        .init(projectDirectory: ProjectFile.projectDirectory(searchingUpFrom: URL(fileURLWithPath: ".")))
    )
    print("environment:", configuration.environment.name, "tier:", configuration.environment.tier.rawValue)
    print("primary:", configuration.databases.primary.url.masked)  // credentials masked
    let port = configuration.int("PORT") ?? 8080
    print("port:", port)
} catch {
    // Every problem, each with what, where and how to fix it.
    print(error)
}
// snippet.end
