import Foundation

/// One file of Prisma's schema-validation tests and the lines Prisma reports errors on.
///
/// Prisma's harness appends its expected diagnostics to each schema as comment lines:
/// `// error: …` then `//   -->  schema.prisma:LINE`. Warnings do not decide agreement (a valid
/// file may warn), so only the error lines are kept.
struct ConformanceCase: Sendable, CustomStringConvertible {
    /// The path below the conformance folder, as `INDEX.tsv` names it.
    var path: String
    var text: String
    /// The lines Prisma names in its `// error:` blocks, in file order.
    var expectedErrorLines: [Int]

    var expectsErrors: Bool { !expectedErrorLines.isEmpty }
    var description: String { path }

    init(path: String, text: String) {
        self.path = path
        self.text = text
        self.expectedErrorLines = Self.errorLines(in: text)
    }

    /// Reads the `// error:` blocks: each block's first `-->  schema.prisma:N` names its line.
    static func errorLines(in text: String) -> [Int] {
        var lines: [Int] = []
        var inError = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("// error:") {
                inError = true
            } else if line.hasPrefix("// warning:") {
                inError = false
            } else if inError, let arrow = line.range(of: "-->") {
                let location = line[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
                if let number = location.split(separator: ":").last.flatMap({ Int($0) }) {
                    lines.append(number)
                }
                inError = false
            }
        }
        return lines
    }
}

/// The folder of Prisma's schema-validation tests beside the project
/// (`../shared/conformance/prisma-psl`, relative to the package root).
///
/// The files are Prisma's test data, not the project's: they are read in place and never copied.
enum ConformanceCorpus {
    static var root: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Conformance
            .deletingLastPathComponent()  // WenwexSchemaTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .appendingPathComponent("../shared/conformance/prisma-psl")
            .standardizedFileURL
    }

    /// Every `.prisma` file below the folder, sorted by path.
    static func cases() throws -> [ConformanceCase] {
        let base = root.path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var cases: [ConformanceCase] = []
        for case let relative as String in walker where relative.hasSuffix(".prisma") {
            let text = try String(contentsOfFile: base + "/" + relative, encoding: .utf8)
            cases.append(ConformanceCase(path: relative, text: text))
        }
        return cases.sorted { $0.path < $1.path }
    }
}
