/// Why a backup, verification or restore did not happen, in words an operator can act on.
///
/// Every case says what happened and, through ``fix``, what to do; none carries a secret.
public enum BackupError: Error, Sendable, CustomStringConvertible {
    /// The payload is not what was written: a flipped byte, a cut, reordered chunks.
    case payloadDamaged(String)
    /// The payload was sealed with a key this process does not have.
    case keyUnavailable(keyID: String, configured: [String])
    /// The backup is encrypted and no key is configured, or encryption is required and missing.
    case encryptionRequired(String)
    /// The payload's checksum or size differs from its manifest's.
    case checksumMismatch(expected: String, actual: String)
    /// No backup matches the id (or there is none at all).
    case notFound(String)
    /// The operation was refused to protect data: another environment, no `--force`, a
    /// confirmation not given.
    case refused(String, fix: String)
    /// A tool or database step failed.
    case failed(String)
    /// A verification found differences; each line names one.
    case verificationFailed([String])

    /// What happened, for the operator; pair it with ``fix`` for the next step.
    public var description: String {
        switch self {
        case .payloadDamaged(let detail): "the backup's payload is damaged: \(detail)"
        case .keyUnavailable(let id, let configured):
            "the backup is encrypted with key \(id), which is not configured (configured: \(configured.isEmpty ? "none" : configured.joined(separator: ", ")))"
        case .encryptionRequired(let detail): detail
        case .checksumMismatch(let expected, let actual):
            "the payload's SHA-256 is \(actual), but its manifest records \(expected): it was changed after it was written"
        case .notFound(let detail): detail
        case .refused(let detail, _): detail
        case .failed(let detail): detail
        case .verificationFailed(let lines):
            "verification failed:\n" + lines.map { "  - " + $0 }.joined(separator: "\n")
        }
    }

    /// What to do about it.
    public var fix: String? {
        switch self {
        case .keyUnavailable:
            "add the key it names to BACKUP_RETIRED_ENCRYPTION_KEY (keys are never stored with backups)"
        case .encryptionRequired:
            "set BACKUP_ENCRYPTION_KEY to 32 random bytes as base64 (`openssl rand -base64 32`)"
        case .refused(_, let fix): fix
        case .notFound: "run `wenwex backup list` to see the backups there are"
        case .payloadDamaged, .checksumMismatch:
            "restore from another backup (`wenwex backup list`), and find out what changed the stored copy"
        case .failed, .verificationFailed: nil
        }
    }
}
