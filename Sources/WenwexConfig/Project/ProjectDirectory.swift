public import Foundation

extension ProjectFile {
    /// The nearest directory from `start` upwards that holds a `wenwex.toml`, else `start`:
    /// the way git finds its repository, so a command run in `Sources/App` still finds the
    /// project's configuration.
    public static func projectDirectory(searchingUpFrom start: URL) -> URL {
        var candidate = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(fileName).path) {
                return candidate
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { return start }
            candidate = parent
        }
    }
}
