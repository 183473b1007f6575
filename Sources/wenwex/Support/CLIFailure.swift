import ArgumentParser
import Foundation
import WenwexStorage

/// The exit statuses `wenwex --help` documents.
enum ExitStatus: Int32, Sendable {
    case success = 0
    /// A check found a problem (drift, pending migrations, an unreachable database).
    case problem = 1
    /// Bad usage or configuration: nothing was done.
    case usage = 2
}

/// Why a command failed: what, how to fix it, and the documented exit status.
///
/// Commands throw it; `Wenwex.main` prints it once (`error: …` then `  fix: …` on standard
/// error) and exits with its status, so no command builds exit codes or prints errors by hand.
struct CLIFailure: Error, CustomStringConvertible {
    var message: String
    var fix: String?
    var code: ExitStatus

    init(_ message: String, fix: String? = nil, code: ExitStatus) {
        self.message = message
        self.fix = fix
        self.code = code
    }

    /// A failure the command has already explained (a check's findings, the configuration's
    /// problems): nothing more is printed, the process exits with `code`.
    static func reported(_ code: ExitStatus) -> CLIFailure {
        CLIFailure("", code: code)
    }

    var description: String {
        message.isEmpty ? "" : "error: \(message)" + (fix.map { "\n  fix: \($0)" } ?? "")
    }
}

extension Wenwex {
    /// Parses and runs the command, and turns every failure into its message and documented
    /// status: `CLIFailure` prints itself; an `ExitCode` was already reported by the command;
    /// argument-parser's usage errors (which it exits with 64, `EX_USAGE`) exit 2 as the help
    /// promises; help and `--version` exit 0.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            if !failure.description.isEmpty {
                FileHandle.standardError.write(Data((failure.description + "\n").utf8))
            }
            Foundation.exit(differenceSafe(failure.code.rawValue, arguments))
        } catch let error as StorageError {
            // A store that failed mid-command (after the guard): the store's own sentence.
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            Foundation.exit(ExitStatus.problem.rawValue)
        } catch {
            // An `ExitCode` is the command's own status (2 for a difference), never remapped.
            let status = error is ExitCode ? exitStatus(for: error) : differenceSafe(exitStatus(for: error), arguments)
            let text = fullMessage(for: error)
            if !text.isEmpty {
                (status == 0 ? FileHandle.standardOutput : FileHandle.standardError).write(Data((text + "\n").utf8))
            }
            Foundation.exit(status)
        }
    }

    /// `status`, except bad usage under `migrate diff --exit-code`, where 2 means "the sides
    /// differ": there a mistyped flag or a missing side exits 1, as Prisma's does, so it never
    /// reads as drift in CI.
    static func differenceSafe(_ status: Int32, _ arguments: [String]) -> Int32 {
        status == ExitStatus.usage.rawValue && arguments.contains("--exit-code") ? ExitStatus.problem.rawValue : status
    }

    /// The documented status for `error`.
    static func exitStatus(for error: any Error) -> Int32 {
        switch error {
        case let failure as CLIFailure: return failure.code.rawValue
        case let exit as ExitCode: return exit.rawValue
        default:
            let code = exitCode(for: error).rawValue
            // argument-parser's usage errors are EX_USAGE (64); wenwex documents 2 for bad usage.
            return code == ExitCode.validationFailure.rawValue ? ExitStatus.usage.rawValue : code
        }
    }
}
