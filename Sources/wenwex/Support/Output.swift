import Foundation
import WenwexConfig

/// Writes a command's results: human text, or one JSON document with `--json`.
struct Output {
    var json: Bool

    /// Prints and flushes, so progress ("Applying migration …") shows up even when output is
    /// piped and the process is interrupted.
    func line(_ text: String = "", terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((text + terminator).utf8))
    }

    /// Whether standard output is a terminal: progress lines are drawn only there, so piped
    /// output and CI logs stay one line per result.
    static let isTerminal = isatty(STDOUT_FILENO) == 1

    /// A transient status line ("Seeding Product (3/9)"), redrawn in place on a terminal and
    /// not printed at all when the output is piped. ``endProgress()`` clears it.
    func progress(_ text: String) {
        guard Self.isTerminal, !json else { return }
        FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + text).utf8))
    }

    /// Clears the progress line, before the step's result is printed.
    func endProgress() {
        guard Self.isTerminal, !json else { return }
        FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8))
    }

    func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints problems to standard error, errors first.
    func problems(_ problems: [ConfigurationProblem]) {
        let ordered = problems.filter { $0.severity == .error } + problems.filter { $0.severity == .warning }
        for problem in ordered {
            error(problem.description)
        }
    }

    /// Reports a configuration that failed to load.
    func configurationFailed(_ problems: [ConfigurationProblem]) {
        if json {
            emit(ConfigurationFailure(ok: false, problems: problems))
            return
        }
        let errors = problems.filter { $0.severity == .error }.count
        self.problems(problems)
        error("\(errors) configuration problem\(errors == 1 ? "" : "s"); nothing was started.")
    }

    func emit(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        if let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) {
            line(text)
        }
    }
}

private struct ConfigurationFailure: Encodable {
    var ok: Bool
    var problems: [ConfigurationProblem]
}
