import ArgumentParser

/// `wenwex dev`: the dev environment's local PostgreSQL.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run a local PostgreSQL primary (and streaming replicas) for the dev environment.",
        discussion: """
            The cluster lives under .wenwex/postgres in the project directory and keeps its data \
            across `down` and `up`. Its URLs go to .env.dev.local (dev only, never committed), \
            which wins over .env.dev. PostgreSQL's server programs must be installed; wenwex \
            installs nothing and says which package provides them.
            """,
        subcommands: [DevUpCommand.self, DevDownCommand.self, DevStatusCommand.self]
    )
}
