public import Foundation
public import WenwexSQL
import WenwexSchema

/// An existing Prisma project as `wenwex init --adopt` finds it: where the schema and the
/// migrations are, which database and variable the datasource names, and the dotenv files.
public struct DetectedPrismaProject: Sendable, Equatable {
    /// The schema file or folder, relative to the project directory.
    public var schemaPath: String
    public var schemaIsFolder: Bool
    /// The migrations folder, relative to the project directory; it may not exist yet.
    public var migrationsPath: String
    public var migrationsExist: Bool
    /// The datasource's provider; `nil` when it names one Wenwex does not support.
    public var dialect: SQLDialect?
    public var providerName: String?
    /// The variable `url = env("…")` reads; `nil` when the URL is written in the schema.
    public var urlVariable: String?
    /// The variable `directUrl = env("…")` reads, for migrations that bypass a pooler.
    public var directURLVariable: String?
    /// Dotenv files in the project directory, in the order Wenwex reads them (lowest first).
    public var dotenvFiles: [String]
    /// Dotenv files Prisma reads but Wenwex does not (`prisma/.env`, `.env.development`), with
    /// what to do about them.
    public var unreadDotenvFiles: [String]
}

/// Finds a Prisma project's parts by Prisma's own lookup rules.
public enum PrismaProjectDetector {
    /// `package.json`'s `prisma.schema`, else `prisma/schema.prisma`, else the folder
    /// `prisma/schema` (Prisma's multi-file schema), else `schema.prisma` at the root; `nil`
    /// when none exists.
    public static func detect(in directory: URL) -> DetectedPrismaProject? {
        guard let (schemaPath, isFolder) = schemaLocation(in: directory) else { return nil }
        let schemaURL = directory.appendingPathComponent(schemaPath)
        let migrationsPath = migrationsLocation(schemaPath: schemaPath, isFolder: isFolder, in: directory)
        var project = DetectedPrismaProject(
            schemaPath: schemaPath,
            schemaIsFolder: isFolder,
            migrationsPath: migrationsPath,
            migrationsExist: isDirectory(directory.appendingPathComponent(migrationsPath)),
            dialect: nil,
            providerName: nil,
            urlVariable: nil,
            directURLVariable: nil,
            dotenvFiles: [],
            unreadDotenvFiles: []
        )
        if let sources = try? SchemaLoader.load(path: schemaURL.path) {
            let schema = SchemaCheck(sources: sources).schema
            let datasource = schema.datasources.first
            project.providerName = datasource?.property("provider")?.value.stringValue
            project.dialect = SchemaProvider.dialect(of: schema)
            project.urlVariable = envArgument(datasource?.property("url")?.value)
            project.directURLVariable = envArgument(datasource?.property("directUrl")?.value)
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let read = [".env", ".env.dev", ".env.staging", ".env.prod", ".env.local"]
        project.dotenvFiles =
            read.filter { files.contains($0) }
            + files.filter { $0.hasPrefix(".env.") && $0.hasSuffix(".local") && $0 != ".env.local" }.sorted()
        project.unreadDotenvFiles =
            files.filter {
                $0.hasPrefix(".env.") && !read.contains($0) && !$0.hasSuffix(".local") && $0 != ".env.example"
            }.sorted()
        let schemaDirectory = isFolder ? schemaPath : (schemaPath as NSString).deletingLastPathComponent
        if !schemaDirectory.isEmpty,
            FileManager.default.fileExists(atPath: directory.appendingPathComponent(schemaDirectory + "/.env").path)
        {
            project.unreadDotenvFiles.append(schemaDirectory + "/.env")
        }
        return project
    }

    static func schemaLocation(in directory: URL) -> (String, Bool)? {
        var candidates: [String] = []
        if let configured = packageJSONSchema(in: directory) { candidates.append(configured) }
        candidates += ["prisma/schema.prisma", "prisma/schema", "schema.prisma"]
        for candidate in candidates {
            let url = directory.appendingPathComponent(candidate)
            if isDirectory(url) {
                let hasSchema =
                    (try? FileManager.default.contentsOfDirectory(atPath: url.path))?
                    .contains { $0.hasSuffix(".prisma") } ?? false
                if hasSchema { return (normalized(candidate), true) }
            } else if FileManager.default.fileExists(atPath: url.path) {
                return (normalized(candidate), false)
            }
        }
        return nil
    }

    /// Prisma keeps `migrations` beside the schema file; for a schema folder, inside it
    /// (Prisma 6.6+) or beside it (earlier previews). An existing folder wins.
    static func migrationsLocation(schemaPath: String, isFolder: Bool, in directory: URL) -> String {
        let parent = (schemaPath as NSString).deletingLastPathComponent
        let beside = parent.isEmpty ? "migrations" : parent + "/migrations"
        let candidates = isFolder ? [schemaPath + "/migrations", beside] : [beside]
        return candidates.first { isDirectory(directory.appendingPathComponent($0)) } ?? candidates[0]
    }

    static func packageJSONSchema(in directory: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("package.json").path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let prisma = object["prisma"] as? [String: Any],
            let schema = prisma["schema"] as? String, !schema.isEmpty
        else { return nil }
        return schema
    }

    static func envArgument(_ value: WenwexSchema.Expression?) -> String? {
        guard case .function(name: "env", let arguments)? = value?.kind else { return nil }
        return arguments.first?.value.stringValue
    }

    static func normalized(_ path: String) -> String {
        path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
