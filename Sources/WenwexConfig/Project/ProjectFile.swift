public import Foundation

/// A project's `wenwex.toml`: its name, its environments and their fingerprints, where its
/// database URLs live, and its typed variable schema.
///
/// ```toml
/// [project]
/// name = "marketplace"
///
/// [database]
/// url_variable = "DATABASE_URL"                    # the default
/// replica_urls_variable = "DATABASE_REPLICA_URLS"  # the default
///
/// [schema]
/// path = "prisma/schema.prisma"                    # the default (else the folder prisma/schema)
/// migrations = "prisma/migrations"                 # the default
/// seed = "swift run seed"                          # run by `migrate reset`
///
/// [environments.prod]
/// tier = "prod"
/// fingerprint = { database_hosts = ["*.prod.internal"], key_prefixes = { STRIPE_SECRET_KEY = "sk_live_" } }
///
/// [variables.PORT]
/// type = "port"
/// default = 8080
/// ```
///
/// Every setting is optional: with no file at all a project has the three tiers as
/// environments, `DATABASE_URL`, and a SQLite database under `.wenwex/` in dev.
public struct ProjectFile: Sendable {
    /// The file's name, looked for in the project directory.
    public static let fileName = "wenwex.toml"

    /// Where the file was read from; `nil` when the project has none.
    public var location: URL?
    /// `[project] name`, else the project directory's name; identity stamps record it and the
    /// cross-environment guard compares it.
    public var projectName: String
    /// `[database]`: which variables hold the database URLs, and the dev fallback.
    public var database: DatabaseSettings
    /// Where the Prisma schema and the migrations live.
    public var schemaSettings: SchemaSettings
    /// The `[environments.<name>]` tables sorted by name, or the three tiers
    /// (``EnvironmentDefinition/defaults``) when the file declares none.
    public var environments: [EnvironmentDefinition]
    /// The `[variables.<NAME>]` entries; ``WenwexConfiguration`` merges the application's in-code schema
    /// over them.
    public var schema: VariableSchema
    /// `[sanitize.<table>] <column> = "<rule>"`: how `wenwex db clone` rewrites each column of a
    /// production copy (table → column → rule text; rules are parsed by the clone).
    public var sanitize: [String: [String: String]] = [:]
    /// `[access]`: people in groups, groups' permissions per environment; the guide's layout
    /// (``AccessPolicySettings/guide``) when the file has none.
    public var access: AccessPolicySettings = .guide

    /// Creates a project in memory, as a missing file reads; ``schemaSettings`` starts at Prisma's
    /// defaults and is set separately.
    public init(
        location: URL? = nil,
        projectName: String,
        database: DatabaseSettings = .init(),
        environments: [EnvironmentDefinition] = EnvironmentDefinition.defaults,
        schema: VariableSchema = .init()
    ) {
        self.location = location
        self.projectName = projectName
        self.database = database
        self.schemaSettings = SchemaSettings()
        self.environments = environments
        self.schema = schema
    }
}

/// Which variables carry the database URLs, and the dev fallback.
public struct DatabaseSettings: Sendable, Hashable {
    /// The primary's URL (Prisma's `DATABASE_URL`).
    public var urlVariable: String
    /// Comma-separated read replica URLs.
    public var replicaURLsVariable: String
    /// Used in dev when nothing sets `urlVariable`, so a fresh clone runs with nothing installed.
    public var devDefaultURL: String

    /// Creates settings; the defaults are what a project without a `[database]` table gets.
    public init(
        urlVariable: String = "DATABASE_URL",
        replicaURLsVariable: String = "DATABASE_REPLICA_URLS",
        devDefaultURL: String = "file:.wenwex/dev.db"
    ) {
        self.urlVariable = urlVariable
        self.replicaURLsVariable = replicaURLsVariable
        self.devDefaultURL = devDefaultURL
    }
}

/// Where a project keeps `schema.prisma` and its migrations, relative to the project directory;
/// `nil` means Prisma's default (`prisma/schema.prisma`, `prisma/migrations`).
public struct SchemaSettings: Sendable, Hashable {
    /// `[schema] path`: the schema file or folder; `nil` for Prisma's default (see ``schemaURL(in:)``).
    public var path: String?
    /// `[schema] migrations`: the migrations folder; `nil` for `prisma/migrations`.
    public var migrations: String?
    /// A second migrations folder for the embedded SQLite default, when the schema's provider is
    /// PostgreSQL.
    ///
    /// A Prisma migrations folder is locked to one provider, but teams develop on SQLite and run
    /// PostgreSQL in production. With this key the same `schema.prisma` is lowered for SQLite
    /// (native `@db.*` types fall back to SQLite's) and its SQLite migrations live here.
    public var sqliteMigrations: String?
    /// A shell command that fills a fresh dev database (`migrate reset` runs it).
    public var seed: String?

    /// Creates settings; all `nil` is Prisma's layout, with no SQLite migrations folder and no seed
    /// command.
    public init(path: String? = nil, migrations: String? = nil, sqliteMigrations: String? = nil, seed: String? = nil) {
        self.path = path
        self.migrations = migrations
        self.sqliteMigrations = sqliteMigrations
        self.seed = seed
    }

    /// The schema file or folder relative to the project directory: `path`, else Prisma's
    /// `prisma/schema.prisma`, else the folder `prisma/schema`.
    public func schemaURL(in projectDirectory: URL) -> URL {
        if let path {
            return URL(fileURLWithPath: path, relativeTo: projectDirectory).standardizedFileURL
        }
        let candidates = ["prisma/schema.prisma", "prisma/schema"].map {
            projectDirectory.appendingPathComponent($0).standardizedFileURL
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }

    /// The migrations folder for a database: `sqlite_migrations` for a SQLite database when the
    /// project keeps one, else `migrations` (default `prisma/migrations`).
    public func migrationsURL(in projectDirectory: URL, databaseIsSQLite: Bool) -> URL {
        let path = (databaseIsSQLite ? sqliteMigrations : nil) ?? migrations ?? "prisma/migrations"
        return URL(fileURLWithPath: path, relativeTo: projectDirectory).standardizedFileURL
    }
}
