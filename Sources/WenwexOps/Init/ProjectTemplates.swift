import Foundation
import WenwexSQL

/// The text of the files `wenwex init` writes. Every file explains itself in comments, since a
/// team reads them before it reads any documentation.
enum ProjectTemplates {
    static let gitignoreLines = [".wenwex/", ".env.local", ".env.*.local"]

    static func projectFile(name: String, schema: SchemaSection, variables: String) -> String {
        """
        # \(name)'s Wenwex project file: its environments, the variables they need and where the
        # schema lives. Values live in the dotenv files and the process environment, highest
        # precedence first: the process, .env.<env>.local, .env.local, .env.<env>, .env.
        # `wenwex env check --env prod` validates a deployment's configuration.

        [project]
        name = \(quoted(name))

        [database]
        url_variable = \(quoted(schema.urlVariable))    # the primary (Prisma's name)
        replica_urls_variable = "DATABASE_REPLICA_URLS"  # comma-separated read replicas
        dev_default_url = "file:.wenwex/dev.db"          # dev with nothing configured

        [schema]
        \(schema.lines.joined(separator: "\n"))

        [environments.dev]
        tier = "dev"
        [environments.dev.fingerprint]
        database_hosts = ["localhost", "127.0.0.1", "::1"]

        [environments.staging]
        tier = "staging"
        # What staging's credentials look like; a staging server pointed at another host refuses to start.
        # [environments.staging.fingerprint]
        # database_hosts = ["*.staging.example.internal"]

        [environments.prod]
        tier = "prod"
        # [environments.prod.fingerprint]
        # database_hosts = ["*.prod.example.internal"]

        \(variables)
        """
    }

    struct SchemaSection {
        var urlVariable: String
        var lines: [String]
    }

    static let starterVariables = """
        [variables.PORT]
        type = "port"
        default = 8080
        description = "the HTTP port the server listens on"

        [variables.LOG_LEVEL]
        type = "enum"
        values = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        default = "info"

        [variables.JWT_SECRET]
        type = "secret"
        min_length = 32
        required_in = ["staging", "prod"]
        description = "signs session tokens; `openssl rand -base64 32` makes one"

        """

    static let adoptedVariables = """
        [variables.PORT]
        type = "port"
        default = 8080
        description = "the HTTP port the server listens on"

        [variables.LOG_LEVEL]
        type = "enum"
        values = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        default = "info"

        """

    static func schema(provider: SQLDialect) -> String {
        """
        // The source of truth for the database: `wenwex migrate dev --name NAME` turns a change
        // here into a committed SQL migration; `wenwex migrate deploy` applies them on release.

        datasource db {
          provider = "\(provider == .postgres ? "postgresql" : "sqlite")"
          url      = env("DATABASE_URL")
        }

        model User {
          id        Int      @id @default(autoincrement())
          email     String   @unique
          name      String?
          createdAt DateTime @default(now())
        }

        """
    }

    static let dotenvExample = """
        # Copy to .env.local (or .env.<environment>.local) for values that must not be committed.
        # The primary database (Prisma's forms): postgresql://user:password@host:5432/db?schema=public
        # or file:./dev.db for SQLite. Dev falls back to file:.wenwex/dev.db.
        DATABASE_URL=
        # Read replicas, comma-separated.
        DATABASE_REPLICA_URLS=
        # Required in staging and prod, at least 32 characters.
        JWT_SECRET=

        """

    static func dotenvDev(secret: String) -> String {
        """
        # dev: the embedded SQLite database under .wenwex/ (`wenwex dev up` runs a local PostgreSQL
        # instead and writes its URLs to .env.dev.local, which wins over this file). Dev-only secrets.
        DATABASE_URL="file:.wenwex/dev.db"
        JWT_SECRET='\(secret)'

        """
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
