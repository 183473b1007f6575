public import WenwexSQL

/// A statement of a migration failed; everything the migration did before it was rolled back.
public struct MigrationStatementFailed: Error, Sendable, CustomStringConvertible {
    /// 1-based position of the statement in the file.
    public var statementNumber: Int
    public var statement: String
    /// The database's message (no secrets).
    public var reason: String
    /// The server's SQLSTATE, when it sent one (`55P03`: the statement's lock timed out).
    public var sqlState: String? = nil

    public var description: String {
        "statement \(statementNumber) failed: \(reason)\n    \(statement.split(separator: "\n").joined(separator: "\n    "))"
    }
}

/// How a file that runs outside a transaction bounds each statement's lock wait: the deploy's
/// ``MigrationLockRetry``, and who to tell before each retry (the attempt that timed out, from
/// 1, and the wait).
public struct StatementLockRetry: Sendable {
    public var policy: MigrationLockRetry
    public var onRetry: @Sendable (_ attempt: Int, _ backoff: Duration) -> Void

    public init(policy: MigrationLockRetry, onRetry: @escaping @Sendable (Int, Duration) -> Void = { _, _ in }) {
        self.policy = policy
        self.onRetry = onRetry
    }
}

/// Runs one migration file against a database, all of it or none of it.
///
/// PostgreSQL runs the statements in one transaction. SQLite does too, with two additions its
/// table-redefinition procedure needs: foreign keys are switched off around the transaction
/// (inside one, `PRAGMA foreign_keys` does nothing, and dropping a parent table with them on
/// would delete or orphan child rows), and `PRAGMA foreign_key_check` must come back empty
/// before the transaction commits. A PostgreSQL file that builds an index `CONCURRENTLY` cannot
/// run in a transaction at all; its statements run one by one and the file says so. One that
/// adds enum values and then uses them runs in two transactions: the new values first (they
/// stay if the rest fails, which is harmless), then everything else with the history row.
public enum MigrationScriptRunner {
    /// Runs `script` and returns how many statements it applied.
    ///
    /// `before` and `after` run inside the same transaction as the statements, so the history
    /// row that says "applied" commits with the migration or not at all; `before` may throw to
    /// roll back without running anything.
    ///
    /// In a file that runs outside a transaction, `statementLocks` bounds each statement's lock
    /// wait (all but the `CONCURRENTLY` ones, whose waits for older transactions do not block
    /// traffic and would leave an invalid index if cut short) and retries one that timed out:
    /// it committed nothing, so running it again is safe.
    @discardableResult
    public static func run(
        _ script: String,
        on session: any SQLSession,
        statementLocks: StatementLockRetry? = nil,
        before: () async throws -> Void = {},
        after: (Int) async throws -> Void = { _ in }
    ) async throws -> Int {
        let statements = SQLScript.statements(in: script)
        switch session.dialect {
        case .postgres:
            if !isTransactional(statements) {
                try await before()
                // A file that sets its own lock_timeout keeps it for every statement.
                let setsItsOwn = statements.contains { statement in
                    LeadingComments.dropped(from: statement).uppercased().contains("LOCK_TIMEOUT")
                }
                let count = try await runEach(
                    statements,
                    on: session,
                    statementLocks: setsItsOwn ? nil : statementLocks
                )
                try await after(count)
                return count
            }
            // PostgreSQL refuses to use an enum value added in the same transaction ("unsafe use
            // of new value"), so the values are committed first and the rest follows.
            if let last = statements.lastIndex(where: addsEnumValue), last < statements.count - 1 {
                try await session.inTransaction {
                    try await before()
                    _ = try await runEach(Array(statements[...last]), on: session)
                }
                return try await session.inTransaction {
                    let count = try await runEach(Array(statements[(last + 1)...]), on: session, offset: last + 1)
                    try await after(statements.count)
                    return count + last + 1
                }
            }
            return try await session.inTransaction {
                try await before()
                let count = try await runEach(statements, on: session)
                try await after(count)
                return count
            }
        case .sqlite:
            try await session.execute("PRAGMA foreign_keys = OFF")
            do {
                let count = try await session.inTransaction(begin: "BEGIN IMMEDIATE") {
                    try await before()
                    let count = try await runEach(statements, on: session)
                    try await checkForeignKeys(session, after: statements.count)
                    try await after(count)
                    return count
                }
                try await session.execute("PRAGMA foreign_keys = ON")
                return count
            } catch {
                try? await session.execute("PRAGMA foreign_keys = ON")
                throw error
            }
        }
    }

    /// Whether the statements can run in one transaction (on PostgreSQL, not when one of them
    /// builds an index `CONCURRENTLY` or vacuums).
    public static func isTransactional(_ statements: [String]) -> Bool {
        !statements.contains(where: cannotRunInTransaction)
    }

    /// `ALTER TYPE … ADD VALUE …`.
    static func addsEnumValue(_ statement: String) -> Bool {
        let words = LeadingComments.dropped(from: statement).uppercased().split(whereSeparator: \.isWhitespace)
        return words.first == "ALTER" && words.dropFirst().first == "TYPE" && words.contains("ADD")
            && words.contains("VALUE")
    }

    static func cannotRunInTransaction(_ statement: String) -> Bool {
        // A comment above the statement (`-- CreateIndex`, a note) is not one of its words.
        let words = LeadingComments.dropped(from: statement).uppercased()
            .split(whereSeparator: { $0.isWhitespace || $0 == "(" }).prefix(6)
        return words.contains("CONCURRENTLY") || (words.first == "VACUUM")
    }

    private static func runEach(
        _ statements: [String],
        on session: any SQLSession,
        offset: Int = 0,
        statementLocks: StatementLockRetry? = nil
    ) async throws -> Int {
        let bounded = statementLocks.flatMap { retry in retry.policy.sessionSetting.map { (retry, $0) } }
        for (index, statement) in statements.enumerated() {
            if let (retry, setting) = bounded, !cannotRunInTransaction(statement) {
                try await runRetryingLock(statement, number: offset + index + 1, setting: setting, retry, on: session)
                continue
            }
            try await runOne(statement, number: offset + index + 1, on: session)
        }
        return statements.count
    }

    private static func runOne(_ statement: String, number: Int, on session: any SQLSession) async throws {
        do {
            if statement.uppercased().hasPrefix("PRAGMA") {
                _ = try await session.query(statement, [])
            } else {
                try await session.execute(statement, [])
            }
        } catch {
            throw MigrationStatementFailed(
                statementNumber: number,
                statement: statement,
                reason: DatabaseErrorText.describe(error),
                sqlState: DatabaseErrorText.sqlState(error)
            )
        }
    }

    /// One statement of a file outside a transaction, under `lock_timeout`, retried with the
    /// policy's backoff while it times out on its lock.
    private static func runRetryingLock(
        _ statement: String,
        number: Int,
        setting: String,
        _ retry: StatementLockRetry,
        on session: any SQLSession
    ) async throws {
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            try await session.execute(setting, [])
            do {
                try await runOne(statement, number: number, on: session)
                try await session.execute("RESET lock_timeout", [])
                return
            } catch let failed as MigrationStatementFailed where failed.sqlState == MigrationLockRetry.lockNotAvailable
            {
                try await session.execute("RESET lock_timeout", [])
                let backoff = retry.policy.backoff(after: attempt)
                guard ContinuousClock.now - started + backoff <= retry.policy.maxWait else { throw failed }
                retry.onRetry(attempt, backoff)
                try await Task.sleep(for: backoff)
            } catch {
                try? await session.execute("RESET lock_timeout", [])
                throw error
            }
        }
    }

    private static func checkForeignKeys(_ session: any SQLSession, after count: Int) async throws {
        let violations = try await session.queryText("PRAGMA foreign_key_check")
        guard !violations.isEmpty else { return }
        let tables = Set(violations.compactMap { $0.first ?? nil }).sorted()
        throw MigrationStatementFailed(
            statementNumber: count,
            statement: "PRAGMA foreign_key_check",
            reason:
                "\(violations.count) row(s) in \(tables.joined(separator: ", ")) would reference rows that do not exist"
        )
    }
}
