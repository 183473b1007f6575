import Foundation
import WenwexTestSupport

/// Runs the built `wenwex` executable in a copy of the example project, as a user would.
struct WenwexCLI {
    /// The copy of `examples/marketplace` the commands run in.
    let project: URL

    /// `wenwex` next to the test bundle (`.build/<triple>/debug/`), or `WENWEX_BINARY`.
    static let executable: String = {
        if let path = ProcessInfo.processInfo.environment["WENWEX_BINARY"], !path.isEmpty { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("wenwex").path
    }()

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Copies the example project into a fresh temporary directory.
    ///
    /// Without `keepingMarketplaceSchema` the copy has the example's configuration only (no
    /// `prisma/` folder, no `[schema]` table), so a test writes the schema and migrations it
    /// is about; `wenwex up` and `serve` tests keep the marketplace's.
    init(keepingMarketplaceSchema: Bool = false) throws {
        project = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-cli-\(UUID().uuidString)")
        try FileManager.default.copyItem(
            at: Self.repositoryRoot.appendingPathComponent("examples/marketplace"),
            to: project
        )
        try? FileManager.default.removeItem(at: project.appendingPathComponent(".wenwex"))
        if !keepingMarketplaceSchema {
            try? FileManager.default.removeItem(at: project.appendingPathComponent("prisma"))
            let file = project.appendingPathComponent("wenwex.toml")
            var kept: [Substring] = []
            var inSchemaTable = false
            for line in try String(contentsOf: file, encoding: .utf8).split(
                separator: "\n",
                omittingEmptySubsequences: false
            ) {
                if line.hasPrefix("[") { inSchemaTable = line == "[schema]" }
                if !inSchemaTable { kept.append(line) }
            }
            try kept.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        }
    }

    /// Copies `examples/<name>` as it is into a fresh temporary directory.
    init(example name: String) throws {
        project = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-\(name)-\(UUID().uuidString)")
        try FileManager.default.copyItem(
            at: Self.repositoryRoot.appendingPathComponent("examples/\(name)"),
            to: project
        )
        try? FileManager.default.removeItem(at: project.appendingPathComponent(".wenwex"))
    }

    /// A fresh, empty temporary directory.
    init(empty: Void) throws {
        project = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: project.appendingPathComponent(name), encoding: .utf8)
    }

    /// An executable built beside `wenwex` (an example app).
    static func sibling(_ name: String) -> String {
        URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(name).path
    }

    func remove() {
        try? FileManager.default.removeItem(at: project)
    }

    func write(_ name: String, _ text: String) throws {
        let url = project.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: project.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Runs `wenwex arguments…` in the project with only `environment` (plus PATH and HOME) set.
    func run(_ arguments: String..., environment: [String: String] = [:]) async throws -> ChildProcess.Outcome {
        try await run(arguments, environment: environment)
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> ChildProcess.Outcome {
        var base = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory(),
        ]
        base.merge(environment) { _, new in new }
        return try await ChildProcess.run(Self.executable, arguments, environment: base, currentDirectory: project)
    }
}

/// Values that make the example's prod configuration valid apart from the database.
let validProdSecrets = [
    "WENWEX_ENV": "prod",
    "JWT_SECRET": "prod-secret-prod-secret-prod-secret-1",
    "STRIPE_SECRET_KEY": "sk_live_example",
    "PROD_DB_PASSWORD": "hunter2",
]
