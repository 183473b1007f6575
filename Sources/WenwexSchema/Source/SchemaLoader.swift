import Foundation

/// Reads a schema from disk: one `.prisma` file, or every `.prisma` file under a folder.
///
/// Folder schemas (Prisma's `prismaSchemaFolder`) are read recursively and sorted by path so the
/// order of files, and so of diagnostics, is the same on every machine.
public enum SchemaLoader {
    /// A schema path that cannot be read.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String

        public var description: String { "cannot read the schema at \(path): \(reason)" }
    }

    /// The sources at `path`, each named relative to `relativeTo` when it lies below it.
    public static func load(path: String, relativeTo base: String? = nil) throws(LoadError) -> [SchemaSource] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LoadError(path: path, reason: "no such file or directory")
        }
        let files: [String]
        if isDirectory.boolValue {
            guard let enumerator = manager.enumerator(atPath: path) else {
                throw LoadError(path: path, reason: "the folder cannot be listed")
            }
            files =
                enumerator.compactMap { $0 as? String }
                .filter { $0.hasSuffix(".prisma") }
                .sorted()
                .map { (path as NSString).appendingPathComponent($0) }
            guard !files.isEmpty else { throw LoadError(path: path, reason: "the folder holds no .prisma files") }
        } else {
            files = [path]
        }
        var sources: [SchemaSource] = []
        for file in files {
            guard let data = manager.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw LoadError(path: file, reason: "not readable as UTF-8 text")
            }
            sources.append(SchemaSource(path: displayPath(file, relativeTo: base), text: text))
        }
        return sources
    }

    private static func displayPath(_ path: String, relativeTo base: String?) -> String {
        guard let base else { return path }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let prefix = URL(fileURLWithPath: base).standardizedFileURL.path
        let withSlash = prefix.hasSuffix("/") ? prefix : prefix + "/"
        return absolute.hasPrefix(withSlash) ? String(absolute.dropFirst(withSlash.count)) : path
    }
}
