import ArgumentParser

/// `wenwex migrate …`: Prisma Migrate's workflow, with Wenwex's guards.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Turn schema.prisma changes into SQL migration files and apply them.",
        discussion: """
            Migrations live in Prisma's layout (prisma/migrations/<timestamp>_<name>/migration.sql \
            and migration_lock.toml) with Prisma's history table (_prisma_migrations), so a \
            project Prisma manages works unchanged. Every command checks the database's identity \
            stamp first and refuses another environment's database.
            """,
        subcommands: [
            MigrateDevCommand.self, MigrateDeployCommand.self, MigrateStatusCommand.self,
            MigrateResolveCommand.self, MigrateDiffCommand.self, MigrateResetCommand.self, MigrateLintCommand.self,
        ]
    )
}
