import ArgumentParser

/// `wenwex schema …`: the Prisma schema (`schema.prisma`) a project's database follows.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Validate and format the Prisma schema.",
        subcommands: [SchemaValidateCommand.self, SchemaFormatCommand.self]
    )
}
