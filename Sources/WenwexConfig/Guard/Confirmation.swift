import Foundation

/// Asks a person to approve a dangerous step.
///
/// A protocol so servers and tests supply their own answer; the CLI uses `TerminalConfirmation`.
public protocol Confirmation: Sendable {
    func confirm(_ question: String) -> Bool
}

/// Confirms on a terminal; with `--yes` it approves without asking, and without a terminal (a
/// script, CI) it refuses, so nothing destructive happens unattended by accident.
public struct TerminalConfirmation: Confirmation {
    public var assumeYes: Bool

    public init(assumeYes: Bool) {
        self.assumeYes = assumeYes
    }

    public func confirm(_ question: String) -> Bool {
        if assumeYes { return true }
        guard isatty(STDIN_FILENO) == 1 else { return false }
        FileHandle.standardError.write(Data("\(question) Type 'yes' to continue: ".utf8))
        return readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes"
    }
}

/// A fixed answer, for tests and for callers that decided beforehand.
public struct FixedConfirmation: Confirmation {
    public var answer: Bool

    public init(_ answer: Bool) {
        self.answer = answer
    }

    public func confirm(_ question: String) -> Bool { answer }
}
