import ArgumentParser
import Foundation
import WenwexConfig
import WenwexMigrate
import WenwexServer

/// `wenwex serve`: the WENWEX reference server, as production runs it.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the WENWEX marketplace server for the current environment.",
        discussion: """
            Start-up checks the configuration and the cross-environment guard before binding the \
            port. With --migrate, pending migrations are applied first, under the migration lock \
            (safe with several instances starting at once); without it, a server whose database \
            is behind stays unready (/readyz answers 503) until `wenwex migrate deploy` runs. \
            SIGTERM stops accepting connections, finishes in-flight requests and exits.
            """
    )

    @OptionGroup var options: MigrateOptions
    @OptionGroup var server: ServerOptions

    @Flag(help: "Apply pending migrations before serving.")
    var migrate = false

    func run() async throws {
        let output = Output(json: false)
        let configuration = try options.project.loadConfiguration(output: output)
        let logger = ServerLauncher.bootstrapLogging(configuration)
        try await MigrateFailure.run(output: output) {
            let (settings, files) = try ServerLauncher.prepare(configuration, options: options, server: server)
            if migrate {
                // The migrations go over the datasource's directUrl, as `migrate deploy` does;
                // the server's own traffic stays on the (pooled) url.
                let direct = try DatasourceURLs.preferringDirectURL(
                    configuration,
                    schemaPath: options.schemaPath(configuration)
                )
                let result = try await ServerLauncher.deploy(direct, files: files, output: output)
                output.line("\(result.applied.count) migration(s) applied; the database is up to date.")
            }
            let environment = configuration.environment
            let host = settings.host
            try await ServerLauncher.serve(
                configuration,
                settings: settings,
                files: files,
                logger: logger,
                deploying: migrate
            ) { port in
                output.line(
                    "Serving environment '\(environment.name)' (tier \(environment.tier.rawValue)) on http://\(host):\(port)"
                )
            }
        }
    }
}
