import Configuration
import Foundation
import WenwexConfig

/// Parsing a dotenv file with Wenwex's parser against swift-configuration's own `.env` reader
/// (the peer it replaces), on a file of plain `KEY=value` lines and comments that both read the
/// same way. Start-up work, but a parser that is correct should not be much slower either.
enum DotenvBenchmark {
    static func run(lines: Int = 5_000, repetitions: Int = 200) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wenwex-bench-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(".env").path
        var text = ""
        for index in 0..<lines {
            if index % 10 == 0 { text += "# section \(index / 10)\n" }
            text += "SETTING_\(index)=value-\(index)-\(String(repeating: "x", count: index % 40))\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)

        // Both read the file and produce name → value; each result is checked so neither is skipped.
        func wenwex() throws -> Int {
            let contents = try String(contentsOfFile: path, encoding: .utf8)
            let entries = try DotenvParser.parse(contents, path: ".env")
            var values: [String: String] = [:]
            for entry in entries { values[entry.name] = entry.value.expanded { values[$0] } }
            return values.count
        }
        func swiftConfiguration() async throws -> Int {
            let provider = try await EnvironmentVariablesProvider(environmentFilePath: .init(path))
            return try provider.environmentValue(forName: "SETTING_\(lines - 1)") == nil ? 0 : lines
        }
        guard try wenwex() == lines, try await swiftConfiguration() == lines else {
            throw BenchmarkError(description: "the parsers disagree on the file")
        }
        let clock = ContinuousClock()
        var ours: [Duration] = []
        var theirs: [Duration] = []
        for _ in 0..<repetitions {
            ours.append(try clock.measure { _ = try wenwex() })
            let start = clock.now
            _ = try await swiftConfiguration()
            theirs.append(start.duration(to: clock.now))
        }
        let oursMedian = ours.sorted()[repetitions / 2]
        let theirsMedian = theirs.sorted()[repetitions / 2]
        print("")
        print("parsing a \(lines)-line .env file, median of \(repetitions) runs:")
        print(
            "swift-configuration EnvironmentVariablesProvider  \(format(microseconds(theirsMedian), width: 8)) µs   1.000×"
        )
        print(
            "Wenwex DotenvParser + expansion                   \(format(microseconds(oursMedian), width: 8)) µs   \(format(seconds(oursMedian) / seconds(theirsMedian), width: 5, decimals: 3))×"
        )
    }
}
