import Foundation

/// Asks a person to approve a dangerous step.
///
/// A protocol so servers and tests supply their own answer; the CLI uses `TerminalConfirmation`.
public protocol Confirmation: Sendable {
    /// Returns `true` only when the person approved `question`; on `false` the caller changes nothing.
    func confirm(_ question: String) -> Bool
}

/// Confirms on a terminal; with `--yes` it approves without asking, and without a terminal (a
/// script, CI) it refuses, so nothing destructive happens unattended by accident.
public struct TerminalConfirmation: Confirmation {
    /// `--yes`: approve every question without asking, even without a terminal.
    public var assumeYes: Bool

    /// Creates a confirmation; pass the command's `--yes` flag.
    public init(assumeYes: Bool) {
        self.assumeYes = assumeYes
    }

    /// Prints `question` on standard error and approves only when standard input answers `yes` (in any
    /// case); refuses without asking when standard input is not a terminal, unless ``assumeYes``.
    public func confirm(_ question: String) -> Bool {
        if assumeYes { return true }
        guard isatty(STDIN_FILENO) == 1 else { return false }
        FileHandle.standardError.write(Data("\(question) Type 'yes' to continue: ".utf8))
        return readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes"
    }
}

/// A fixed answer, for tests and for callers that decided beforehand.
public struct FixedConfirmation: Confirmation {
    /// What every question gets.
    public var answer: Bool

    /// Creates a confirmation that always answers `answer`.
    public init(_ answer: Bool) {
        self.answer = answer
    }

    /// Returns ``answer`` without showing `question`.
    public func confirm(_ question: String) -> Bool { answer }
}
