import ArgumentParser

/// `wenwex env …`: the environment's configuration.
struct EnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Check and show the configuration of an environment.",
        subcommands: [EnvCheckCommand.self, EnvShowCommand.self]
    )
}
