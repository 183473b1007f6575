/// One thing wrong with a configuration: what, where, and how to fix it.
///
/// Loading collects every problem before reporting, so a team fixes them all in one round trip
/// instead of one crash at a time.
public struct ConfigurationProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Whether a problem stops loading.
    public enum Severity: String, Sendable, Hashable, Codable {
        /// Stops loading (or the command): the problem is thrown in a ``ConfigurationError``.
        case error
        /// Shown, but loading goes on (an ignored `.env.production`, an unstamped dev database).
        case warning
    }

    /// Whether it stops loading; `.error` unless the creator says otherwise.
    public var severity: Severity
    /// The variable, setting or file the problem is about.
    public var subject: String
    /// Where the offending value came from (`nil` when the value is missing).
    public var source: String?
    /// What is wrong, phrased to follow the subject (`is required in prod but is not set; …`).
    public var message: String
    /// How to fix it.
    public var hint: String?

    /// Creates a problem located at `source` (`nil` when the value is missing).
    public init(
        severity: Severity = .error,
        subject: String,
        source: ValueSource? = nil,
        message: String,
        hint: String? = nil
    ) {
        self.init(severity: severity, subject: subject, location: source?.description, message: message, hint: hint)
    }

    /// Creates a problem whose location is already text (`wenwex.toml:12:3`).
    public init(
        severity: Severity = .error,
        subject: String,
        location: String?,
        message: String,
        hint: String? = nil
    ) {
        self.severity = severity
        self.subject = subject
        self.source = location
        self.message = message
        self.hint = hint
    }

    /// `error: PORT: … (from .env:3)`, plus an indented `fix:` line when there is a hint: the form the
    /// CLI prints.
    public var description: String {
        var text = "\(severity.rawValue): \(subject): \(message)"
        if let source { text += " (from \(source))" }
        if let hint { text += "\n  fix: \(hint)" }
        return text
    }
}

/// Every problem found while loading or checking a configuration.
///
/// Thrown as a whole so callers (the CLI, a server's start-up) can print all of them and exit
/// with status 2 instead of stopping at the first.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// Every problem found, in the order found; warnings found on the way are included.
    public var problems: [ConfigurationProblem]

    /// Creates an error from the problems found.
    public init(_ problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// Every problem's ``ConfigurationProblem/description``, one after another, ready to print.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
