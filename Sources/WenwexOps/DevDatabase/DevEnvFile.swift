public import Foundation

/// The dev environment's machine-local dotenv file, `.env.dev.local`, where `wenwex dev up`
/// writes the local cluster's URLs.
///
/// `.env.dev.local` rather than `.env.local`: it wins over `.env.dev` in dev only, so a staging
/// or prod command run on the same machine never picks up the local cluster. Lines Wenwex does
/// not own are kept as they are.
public struct DevEnvFile: Sendable {
    public static let fileName = ".env.dev.local"
    public let url: URL

    public init(projectDirectory: URL) {
        self.url = projectDirectory.appendingPathComponent(Self.fileName)
    }

    /// Sets `values` (replacing each variable's earlier lines, removing a variable set to `nil`)
    /// and keeps every other line.
    public func update(_ values: [(name: String, value: String?)]) throws {
        let existing =
            (try? String(contentsOf: url, encoding: .utf8)) ?? "# Machine-local dev settings; not committed.\n"
        let names = Set(values.map(\.name))
        var lines = existing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let name = trimmed.split(separator: "=", maxSplits: 1).first.map {
                $0.replacingOccurrences(of: "export ", with: "").trimmingCharacters(in: .whitespaces)
            }
            return !(name.map(names.contains) ?? false) && trimmed != "# written by wenwex dev up"
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        let written = values.compactMap { entry in entry.value.map { "\(entry.name)=\"\($0)\"" } }
        if !written.isEmpty { lines += ["# written by wenwex dev up"] + written }
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }
}
