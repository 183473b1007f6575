import ArgumentParser

/// The `wenwex` command: thin commands over the Wenwex libraries.
@main
struct Wenwex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wenwex",
        abstract: "The environment-safe data platform for Swift servers.",
        discussion: """
            The environment comes from --env or WENWEX_ENV (dev, staging, prod; default dev). \
            Configuration is read from wenwex.toml and the dotenv files of the project directory, \
            highest precedence first: the process environment, .env.<env>.local, .env.local, \
            .env.<env>, .env, then [environments.<env>.values] in wenwex.toml.

            Exit status: 0 success, 1 a check found a problem, 2 bad usage or configuration.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, UpCommand.self, ServeCommand.self, DevCommand.self, StorageCommand.self, EdgeCommand.self,
            BackupCommand.self, EnvCommand.self, DbCommand.self,
            SchemaCommand.self, MigrateCommand.self, AccessCommand.self, AuditCommand.self,
        ]
    )
}
