import Crypto
public import Foundation
public import WenwexSQL

/// The environment's tamper-evident audit log: the table `_wenwex_audit` in its own database.
///
/// Each row's SHA-256 covers its content and the previous row's hash, so editing, deleting,
/// inserting or reordering rows breaks the chain at the first row touched, which ``verify()``
/// names. Appends are serialised by a transaction-level advisory lock, so two writers cannot
/// fork the chain; triggers refuse `UPDATE`, `DELETE` and `TRUNCATE` to every role but the
/// table's owner (and the chain still shows what the owner changed).
public struct AuditLog: Sendable {
    public struct Entry: Sendable, Hashable, Codable {
        public var sequence: Int
        /// ISO 8601, UTC, milliseconds: stored as text, so the hash covers exactly what is shown.
        public var at: String
        public var actor: String
        public var action: String
        public var target: String
        public var outcome: String
        public var detail: String
        public var previousHash: String
        public var hash: String
    }

    public static let tableName = "_wenwex_audit"
    static let genesis = String(repeating: "0", count: 64)
    /// `pg_advisory_xact_lock` key for appends ("WENWEXAU").
    static let lockKey: Int64 = 0x5745_4E57_4558_4155

    public var session: any SQLSession

    public init(session: any SQLSession) {
        self.session = session
    }

    /// Whether the database has an audit log (`wenwex access apply` creates it).
    public func exists() async throws -> Bool {
        try await session.tableExists(Self.tableName)
    }

    /// Creates the table and its guard trigger when missing (an appender that is not the
    /// owner never needs to change them).
    public func prepare() async throws {
        guard try await !exists() else { return }
        try await session.execute(
            """
            CREATE TABLE IF NOT EXISTS "_wenwex_audit" (
              sequence BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
              target TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL,
              previous_hash TEXT NOT NULL, hash TEXT NOT NULL)
            """
        )
        try await session.execute(
            """
            CREATE OR REPLACE FUNCTION "_wenwex_audit_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
                RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP USING ERRCODE = '42501';
              END IF;
              RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$
            """
        )
        try await session.execute(
            """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '_wenwex_audit_rows'
                             AND tgrelid = '"_wenwex_audit"'::regclass) THEN
                CREATE TRIGGER "_wenwex_audit_rows" BEFORE UPDATE OR DELETE ON "_wenwex_audit"
                  FOR EACH ROW EXECUTE FUNCTION "_wenwex_audit_guard"();
                CREATE TRIGGER "_wenwex_audit_truncate" BEFORE TRUNCATE ON "_wenwex_audit"
                  FOR EACH STATEMENT EXECUTE FUNCTION "_wenwex_audit_guard"();
              END IF;
            END $$
            """
        )
    }

    /// Appends one entry and returns it.
    @discardableResult
    public func append(
        actor: String,
        action: String,
        target: String,
        outcome: String,
        detail: String = "",
        at date: Date = Date()
    )
        async throws -> Entry
    {
        try await prepare()
        // Two appenders that read the same last row both try its sequence + 1: the primary key
        // lets one win, and the other reads again. The chain cannot fork.
        for _ in 0..<100 {
            do {
                return try await appendOnce(
                    actor: actor,
                    action: action,
                    target: target,
                    outcome: outcome,
                    detail: detail,
                    at: date
                )
            } catch  where DatabaseErrorText.sqlState(error) == "23505" {
                continue
            }
        }
        throw AuditLogBusy()
    }

    private func appendOnce(
        actor: String,
        action: String,
        target: String,
        outcome: String,
        detail: String,
        at date: Date
    )
        async throws -> Entry
    {
        try await session.inTransaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") {
            _ = try await session.query("SELECT pg_advisory_xact_lock($1)", [.integer(Int(Self.lockKey))])
            let last = try await session.queryText(
                // `ORDER BY sequence` would sort by the text output column of that name: qualify it.
                #"SELECT sequence::text, hash FROM "_wenwex_audit" a ORDER BY a.sequence DESC LIMIT 1"#,
                []
            ).first
            let sequence = (last?[0].flatMap { Int($0) } ?? 0) + 1
            var entry = Entry(
                sequence: sequence,
                at: Self.timestamp(date),
                actor: actor,
                action: action,
                target: target,
                outcome: outcome,
                detail: detail,
                previousHash: last?[1] ?? Self.genesis,
                hash: ""
            )
            entry.hash = Self.hash(entry)
            try await session.execute(
                #"INSERT INTO "_wenwex_audit" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
                [
                    .integer(entry.sequence), .text(entry.at), .text(entry.actor), .text(entry.action),
                    .text(entry.target), .text(entry.outcome), .text(entry.detail), .text(entry.previousHash),
                    .text(entry.hash),
                ]
            )
            return entry
        }
    }

    /// Every entry in order (`since`: an ISO 8601 prefix such as `2026-12-01`).
    public func entries(since: String? = nil) async throws -> [Entry] {
        guard try await exists() else { return [] }
        return try await session.queryText(
            #"SELECT sequence::text, at, actor, action, target, outcome, detail, previous_hash, hash FROM "_wenwex_audit" a WHERE at >= $1 ORDER BY a.sequence"#,
            [.text(since ?? "")]
        ).map { row in
            Entry(
                sequence: Int(row[0] ?? "") ?? -1,
                at: row[1] ?? "",
                actor: row[2] ?? "",
                action: row[3] ?? "",
                target: row[4] ?? "",
                outcome: row[5] ?? "",
                detail: row[6] ?? "",
                previousHash: row[7] ?? "",
                hash: row[8] ?? ""
            )
        }
    }

    /// What ``verify()`` found: `nil` problem means the chain is whole.
    public struct Verification: Sendable, Hashable {
        public var entries: Int
        public var problem: String?
    }

    /// Walks the chain from the first row and names the first row that breaks it.
    public func verify() async throws -> Verification {
        let entries = try await entries()
        var previous = Self.genesis
        for (index, entry) in entries.enumerated() {
            if entry.sequence != index + 1 {
                let what = entry.sequence > index + 1 ? "deleted" : "inserted or renumbered"
                return Verification(
                    entries: entries.count,
                    problem:
                        "row \(index + 1) is missing or out of place (found row \(entry.sequence) there): rows were \(what)"
                )
            }
            if entry.previousHash != previous {
                return Verification(
                    entries: entries.count,
                    problem:
                        "row \(entry.sequence) does not follow row \(entry.sequence - 1): rows were inserted, deleted or reordered there"
                )
            }
            if Self.hash(entry) != entry.hash {
                return Verification(
                    entries: entries.count,
                    problem: "row \(entry.sequence) was edited: its content no longer matches its hash"
                )
            }
            previous = entry.hash
        }
        return Verification(entries: entries.count, problem: nil)
    }

    /// SHA-256 over the fields, each length-prefixed so no two entries share a byte string.
    static func hash(_ entry: Entry) -> String {
        var hasher = SHA256()
        for field in [
            String(entry.sequence), entry.at, entry.actor, entry.action, entry.target, entry.outcome, entry.detail,
            entry.previousHash,
        ] {
            hasher.update(data: Data("\(field.utf8.count):".utf8))
            hasher.update(data: Data(field.utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func timestamp(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        style.timeZone = TimeZone(identifier: "UTC")!
        return date.formatted(style)
    }
}

/// A hundred appends in a row lost the race for the next row: something is writing without end.
public struct AuditLogBusy: Error, CustomStringConvertible {
    public var description: String { "the audit log stayed busy: another writer took every next row" }
}
