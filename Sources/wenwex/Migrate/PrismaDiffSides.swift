import ArgumentParser

/// Prisma's `migrate diff` flags, each one side of the comparison, so scripts written for
/// `npx prisma migrate diff` run unchanged. Each becomes the text `--from`/`--to` take
/// (`empty`, a URL, a path); `DiffSource` decides what it is.
struct PrismaDiffSides: ParsableArguments {
    @Flag(help: "Prisma's spelling of --from empty.")
    var fromEmpty = false
    @Option(help: "Prisma's spelling of --from with a database URL.")
    var fromUrl: String?
    @Option(help: "Prisma's spelling of --from with a schema file or folder.")
    var fromSchemaDatamodel: String?
    @Option(help: "Prisma 6.6+'s spelling of --from-schema-datamodel.")
    var fromSchema: String?
    @Option(help: "Prisma's spelling of --from with a migrations folder (replayed into the shadow database).")
    var fromMigrations: String?
    @Flag(help: "Prisma's spelling of --to empty.")
    var toEmpty = false
    @Option(help: "Prisma's spelling of --to with a database URL.")
    var toUrl: String?
    @Option(help: "Prisma's spelling of --to with a schema file or folder.")
    var toSchemaDatamodel: String?
    @Option(help: "Prisma 6.6+'s spelling of --to-schema-datamodel.")
    var toSchema: String?
    @Option(help: "Prisma's spelling of --to with a migrations folder.")
    var toMigrations: String?

    /// The `--from-*` sources given, as `--from` text.
    var from: [String] {
        (fromEmpty ? ["empty"] : []) + [fromUrl, fromSchemaDatamodel, fromSchema, fromMigrations].compactMap { $0 }
    }

    /// The `--to-*` sources given, as `--to` text.
    var to: [String] {
        (toEmpty ? ["empty"] : []) + [toUrl, toSchemaDatamodel, toSchema, toMigrations].compactMap { $0 }
    }
}
