public import Foundation
public import WenwexSQL

/// `wenwex init`: a new project's files, or a `wenwex.toml` for an existing Prisma project that
/// uses its schema, migrations and dotenv files where they are.
///
/// Nothing that exists is overwritten or moved: an existing file is reported and left alone,
/// and `.gitignore` only gains the lines it lacks.
public struct ProjectInitializer: Sendable {
    public enum Mode: Sendable, Equatable {
        case new(provider: SQLDialect)
        case adopt(DetectedPrismaProject)
    }

    /// What happened to one file.
    public struct FileOutcome: Sendable, Equatable {
        public enum Action: Sendable, Equatable {
            case created
            /// It existed; nothing was written.
            case keptExisting
            /// It existed and gained these lines.
            case appended([String])
        }

        public var path: String
        public var action: Action
    }

    public struct Outcome: Sendable, Equatable {
        public var mode: Mode
        public var files: [FileOutcome]
        /// What the user should know about the adopted project (unread dotenv files, an
        /// unsupported provider).
        public var notes: [String]
        public var nextSteps: [String]
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        public var fix: String
    }

    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// Adopts when `adopt` is true, or when it is `nil` and a Prisma schema is found; otherwise
    /// writes a new project for `provider`.
    public func run(adopt: Bool?, provider: SQLDialect = .postgres) throws(Failure) -> Outcome {
        let detected = PrismaProjectDetector.detect(in: directory)
        if adopt == true, detected == nil {
            throw Failure(
                description:
                    "no Prisma schema in \(directory.path) (looked for package.json's prisma.schema, prisma/schema.prisma, prisma/schema/ and schema.prisma)",
                fix: "run `wenwex init` in the project's root directory, or without --adopt to start a new project"
            )
        }
        // A project that already has its wenwex.toml only gets the files it lacks.
        let initialized = FileManager.default.fileExists(atPath: directory.appendingPathComponent("wenwex.toml").path)
        if adopt == true || (adopt == nil && !initialized), let detected {
            return try adopting(detected)
        }
        return try creating(provider: provider)
    }

    func creating(provider: SQLDialect) throws(Failure) -> Outcome {
        var schemaLines = [#"path = "prisma/schema.prisma""#, #"migrations = "prisma/migrations""#]
        if provider == .postgres {
            schemaLines[1] += "                # PostgreSQL: staging and prod"
            schemaLines.append(#"sqlite_migrations = "prisma/migrations-sqlite"  # the embedded dev default"#)
        }
        let name = directory.lastPathComponent
        var files: [FileOutcome] = []
        files.append(
            try write(
                "wenwex.toml",
                ProjectTemplates.projectFile(
                    name: name,
                    schema: .init(urlVariable: "DATABASE_URL", lines: schemaLines),
                    variables: ProjectTemplates.starterVariables
                )
            )
        )
        files.append(try write("prisma/schema.prisma", ProjectTemplates.schema(provider: provider)))
        files.append(try write(".env.example", ProjectTemplates.dotenvExample))
        files.append(try write(".env.dev", ProjectTemplates.dotenvDev(secret: Self.devSecret())))
        files.append(try appendGitignore())
        let steps = [
            "wenwex env check                  validate the configuration",
            "wenwex migrate dev --name init    create the first migration on the embedded SQLite database",
        ]
        let postgresSteps = [
            "wenwex dev up                     run a local PostgreSQL for dev (writes .env.dev.local)",
            "wenwex migrate dev --name init    then the PostgreSQL migration staging and prod deploy",
        ]
        return Outcome(
            mode: .new(provider: provider),
            files: files,
            notes: [],
            nextSteps: steps + (provider == .postgres ? postgresSteps : [])
        )
    }

    func adopting(_ project: DetectedPrismaProject) throws(Failure) -> Outcome {
        var notes: [String] = []
        if project.dialect == nil {
            throw Failure(
                description:
                    "the schema's datasource provider is \(project.providerName.map { "'\($0)'" } ?? "missing"); Wenwex supports postgresql and sqlite",
                fix: "set provider = \"postgresql\" or \"sqlite\" in the datasource block of \(project.schemaPath)"
            )
        }
        if project.urlVariable == nil {
            notes.append(
                "the datasource's url is written in the schema, not read with env(\"…\"): Wenwex reads DATABASE_URL; move the URL to .env as DATABASE_URL=… so each environment can set its own"
            )
        }
        if !project.migrationsExist {
            notes.append("no migrations folder yet: `wenwex migrate dev --name init` creates \(project.migrationsPath)")
        }
        for file in project.unreadDotenvFiles {
            let hint =
                file.hasSuffix("/.env")
                ? "Wenwex reads dotenv files from the project directory only; move its values to .env"
                : "Wenwex reads .env, .env.<env> (.env.dev, .env.staging, .env.prod), .env.local and .env.<env>.local; rename it or copy its values"
            notes.append("\(file) is not read: \(hint)")
        }
        if let variable = project.urlVariable,
            let value = Self.dotenvValue(variable, in: project.dotenvFiles, directory),
            value.hasPrefix("file:"), !value.dropFirst(5).hasPrefix("/")
        {
            notes.append(
                "\(variable) is the relative SQLite path \(value): Prisma resolves it from the schema's folder, Wenwex from the project directory; write the path from the project directory (for example file:./\(project.schemaIsFolder ? project.schemaPath : (project.schemaPath as NSString).deletingLastPathComponent)/\(value.dropFirst(5).replacingOccurrences(of: "./", with: ""))) if the database is already there"
            )
        }
        if let direct = project.directURLVariable {
            notes.append("migrations run over \(direct) (the datasource's directUrl) when it is set, as Prisma does")
        }
        let schemaLines = [
            "path = \(ProjectTemplates.quoted(project.schemaPath))",
            "migrations = \(ProjectTemplates.quoted(project.migrationsPath))",
        ]
        var files = [
            try write(
                "wenwex.toml",
                ProjectTemplates.projectFile(
                    name: directory.lastPathComponent,
                    schema: .init(urlVariable: project.urlVariable ?? "DATABASE_URL", lines: schemaLines),
                    variables: ProjectTemplates.adoptedVariables
                )
            )
        ]
        files.append(try appendGitignore())
        return Outcome(
            mode: .adopt(project),
            files: files,
            notes: notes,
            nextSteps: [
                "wenwex env check                  validate the configuration",
                "wenwex migrate status             compare the migrations with the dev database",
                "wenwex migrate diff --from-migrations \(project.migrationsPath) --to-schema \(project.schemaPath)   check for drift",
            ]
        )
    }

    /// The value a dotenv file gives `variable` (the last file that sets it wins), quotes removed.
    static func dotenvValue(_ variable: String, in files: [String], _ directory: URL) -> String? {
        var found: String?
        for file in files {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else {
                continue
            }
            for line in text.split(separator: "\n") {
                var line = line.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
                guard line.hasPrefix(variable + "=") else { continue }
                found = String(line.dropFirst(variable.count + 1)).trimmingCharacters(
                    in: CharacterSet(charactersIn: "\"' ")
                )
            }
        }
        return found
    }

    /// Writes `path` unless it exists.
    func write(_ path: String, _ text: String) throws(Failure) -> FileOutcome {
        let url = directory.appendingPathComponent(path)
        if FileManager.default.fileExists(atPath: url.path) { return FileOutcome(path: path, action: .keptExisting) }
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            throw Failure(
                description: "could not write \(url.path): \(error.localizedDescription)",
                fix: "check that the directory exists and is writable"
            )
        }
        return FileOutcome(path: path, action: .created)
    }

    /// Adds the lines `.gitignore` lacks: the local database and machine-local secrets.
    func appendGitignore() throws(Failure) -> FileOutcome {
        let url = directory.appendingPathComponent(".gitignore")
        guard let existing = try? String(contentsOf: url, encoding: .utf8) else {
            return try write(
                ".gitignore",
                "# Wenwex: the local databases and machine-local secrets\n"
                    + ProjectTemplates.gitignoreLines.joined(separator: "\n") + "\n"
            )
        }
        let present = Set(existing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        let missing = ProjectTemplates.gitignoreLines.filter { !present.contains($0) }
        guard !missing.isEmpty else { return FileOutcome(path: ".gitignore", action: .keptExisting) }
        let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
        let addition =
            separator + "\n# Wenwex: the local databases and machine-local secrets\n" + missing.joined(separator: "\n")
            + "\n"
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(addition.utf8))
        } catch {
            throw Failure(
                description: "could not append to \(url.path): \(error.localizedDescription)",
                fix: "add these lines to .gitignore by hand: \(missing.joined(separator: ", "))"
            )
        }
        return FileOutcome(path: ".gitignore", action: .appended(missing))
    }

    /// A random dev-only secret, so even dev sessions are not signed with a published value.
    static func devSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
        return "dev-only-" + hex.joined()
    }
}
