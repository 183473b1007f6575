public import Foundation
public import Logging
import NIOCore
import PostgresNIO
public import WenwexConfig
public import WenwexMigrate
import WenwexSQL

/// `wenwex db clone`: a sanitized copy of one environment's PostgreSQL database in another's.
///
/// The source is read in one `REPEATABLE READ, READ ONLY` transaction (one consistent
/// snapshot), table by table, each column rewritten by its ``SanitizeRule`` on the way. The
/// target is brought up to the migration folder first (`migrate deploy`), then emptied and
/// filled in **one transaction** with `COPY … FROM STDIN`: a clone that fails leaves the target
/// as it was. As `pg_restore` does, the target's keys and indexes are dropped for the load and
/// made again over the loaded rows (``DeferredIndexes``), and triggers, foreign keys' included,
/// are held off (`session_replication_role = replica`), so table order and cycles do not matter.
/// Rows travel in `COPY`'s binary format where the column types allow it, else as text.
/// Sequences are moved past the copied keys afterwards. The target keeps its own identity stamp.
public struct DatabaseCloner: Sendable {
    public var source: DatabaseURL
    public var target: DatabaseURL
    public var sourceOwner: DatabaseOwner
    public var targetOwner: DatabaseOwner
    /// `[sanitize]` rules and `/// @sanitize` annotations: table → column → rule.
    public var rules: [String: [String: SanitizeRule]]
    public var secret: String
    public var migrations: [MigrationFile]
    /// `--subset`: copy only these rows and what their foreign keys need (``SubsetSelector``);
    /// empty copies everything.
    public var subset: [SubsetRule] = []
    /// Whether tables whose columns allow it travel in `COPY`'s binary format (the default);
    /// the tests turn it off to check that both formats make the same target.
    var allowsBinaryCopy = true
    /// How many source connections read a large table's parts at once (``TableCopy``): one per
    /// core, two to four.
    var readerCount = min(4, max(2, ProcessInfo.processInfo.activeProcessorCount))
    /// The smallest table read in parts: its estimated rows and its pages (8 MiB of 8 KiB pages).
    var smallestSplitTable = (rows: 100_000, pages: 1024)
    public var logger: Logger

    public init(
        source: DatabaseURL,
        target: DatabaseURL,
        sourceOwner: DatabaseOwner,
        targetOwner: DatabaseOwner,
        rules: [String: [String: SanitizeRule]],
        secret: String,
        migrations: [MigrationFile],
        logger: Logger = Logger(label: "wenwex.clone")
    ) {
        self.source = source
        self.target = target
        self.sourceOwner = sourceOwner
        self.targetOwner = targetOwner
        self.rules = rules
        self.secret = secret
        self.migrations = migrations
        self.logger = logger
    }

    /// Rows copied per table, in plan order.
    public struct Report: Sendable {
        public var tables: [(name: String, rows: Int)]
        /// The tables that travelled in `COPY`'s binary format; the others went as text.
        public var binaryTables: Set<String> = []
        /// Tables read in parts whose fake values collided in a unique column, so they were
        /// copied again in key order (``TableCopy``).
        public var copiedAgainInOrder: Set<String> = []
        public var seconds: Double
        public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }
    }

    /// The plan against the source: tables, row estimates, every column's rule. Throws when a
    /// rule names a column the database does not have.
    public func plan() async throws -> ClonePlan {
        try checkEndpoints()
        return try await DatabaseConnector.withSession(source, access: .readOnly) { session in
            try await checkStamp(session, url: source, owner: sourceOwner, role: "source")
            return try await Self.plan(session, rules: rules)
        }
    }

    /// Runs the clone; `progress` hears about each table as it finishes: its name, rows copied
    /// and the seconds it took.
    @discardableResult
    public func run(progress: @Sendable (String, Int, Double) -> Void = { _, _, _ in }) async throws -> Report {
        let started = Date()
        try checkEndpoints()
        guard case .postgres(let targetLocation) = target.kind, case .postgres = source.kind else {
            throw CloneError.refused(
                "cloning needs PostgreSQL on both sides",
                fix: "point both environments' DATABASE_URL at PostgreSQL"
            )
        }
        _ = targetLocation
        let source = try await DatabaseConnector.open(self.source, access: .readOnly, logger: logger)
        defer { Task { try? await source.close() } }
        try await checkStamp(source, url: self.source, owner: sourceOwner, role: "source")
        let plan = try await Self.plan(source, rules: rules)
        guard plan.unsanitized.isEmpty else { throw CloneError.unsanitizedPersonalData(plan.unsanitized) }

        let target = try await DatabaseConnector.open(self.target, logger: logger)
        defer { Task { try? await target.close() } }
        try await checkStamp(target, url: self.target, owner: targetOwner, role: "target")
        _ = try await MigrationDeployer(session: target, files: migrations).deploy()
        guard let targetConnection = (target as? PostgresSession)?.connection else {
            throw CloneError.failed("cloning needs PostgreSQL sessions")
        }

        try await source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", [])
        for setting in TableStatistics.stableTextSettings { try await source.execute(setting) }
        var chosen: [String: Set<String>] = [:]
        if !subset.isEmpty {
            let graph = try await ForeignKeyGraph.read(source, tables: Set(plan.tables.map(\.qualified)))
            chosen = try await SubsetSelector(session: source, graph: graph, plan: plan).select(subset)
        }
        let anonymizer = Anonymizer(secret: secret)
        // Binary forms are stable within a major version; across versions only text is safe.
        let sourceVersion = try await Self.majorVersion(source)
        let targetVersion = try await Self.majorVersion(target)
        let binaryAllowed = allowsBinaryCopy && sourceVersion != nil && sourceVersion == targetVersion
        // Large tables are read in parts at once.
        let splittable = subset.isEmpty && plan.tables.contains { $0.estimatedRows >= smallestSplitTable.rows }
        let readers = try await SnapshotReaders.open(
            primary: source,
            extra: splittable ? readerCount - 1 : 0,
            url: self.source,
            settings: TableStatistics.stableTextSettings,
            logger: logger
        )
        defer { Task { await readers.close() } }
        var copied: [(String, Int)] = []
        var copiedAgain: Set<String> = []
        try await target.inTransaction {
            // Foreign-key and user triggers stay quiet while the tables fill in any order: the
            // rows come from one snapshot of a database where the keys held (``DeferredIndexes``
            // checks again the ones a rule rewrites) and as the source's triggers left them.
            do {
                try await target.execute("SET LOCAL session_replication_role = replica", [])
            } catch {
                throw CloneError.refused(
                    "the target's user may not hold off foreign-key checks and triggers during the load (SET session_replication_role: \(DatabaseErrorText.describe(error)))",
                    fix:
                        "clone as a superuser, or let the user set it: GRANT SET ON PARAMETER session_replication_role TO <user> (PostgreSQL 15+)"
                )
            }
            let names = plan.tables.map(\.qualified).joined(separator: ", ")
            if !plan.tables.isEmpty { try await target.execute("TRUNCATE \(names) RESTART IDENTITY", []) }
            let rewritten = Set(
                plan.tables.flatMap { table in
                    table.columns.filter { $0.rule != .keep }.map {
                        DeferredIndexes.Column(schema: table.schema, table: table.name, name: $0.name)
                    }
                }
            )
            let deferred = try await DeferredIndexes.drop(
                target,
                tables: plan.tables.map(\.qualified),
                rewritten: rewritten
            )
            logger.info("target emptied", metadata: ["deferredStatements": "\(deferred.count)"])
            for table in plan.tables {
                let tableStarted = Date()
                let rows: Int
                do {
                    let outcome = try await TableCopy(
                        table: table,
                        chosen: chosen[table.qualified],
                        format: binaryAllowed && table.copiesInBinary ? .binary : .text,
                        readers: readers,
                        splitFromPages: smallestSplitTable.pages,
                        target: targetConnection,
                        anonymizer: anonymizer,
                        logger: logger
                    ).run()
                    rows = outcome.rows
                    if outcome.copiedAgainInOrder { copiedAgain.insert(table.name) }
                } catch let error as CloneError {
                    throw error
                } catch {
                    throw CloneError.failed(
                        "copying \(table.name) failed, and the target was left as it was: \(DatabaseErrorText.describe(error))"
                    )
                }
                copied.append((table.name, rows))
                logger.info(
                    "table copied",
                    metadata: [
                        "table": "\(table.name)", "rows": "\(rows)",
                        "seconds": "\(Date().timeIntervalSince(tableStarted))",
                    ]
                )
                progress(table.name, rows, Date().timeIntervalSince(tableStarted))
            }
            let rebuilding = Date()
            do {
                try await DeferredIndexes.rebuild(target, deferred)
            } catch {
                throw CloneError.failed(
                    "making the target's keys, indexes and foreign keys again over the copied rows failed, and the target was left as it was: \(DatabaseErrorText.describe(error))"
                )
            }
            logger.info("indexes rebuilt", metadata: ["seconds": "\(Date().timeIntervalSince(rebuilding))"])
            try await Self.resetSequences(target, plan: plan)
        }
        try await source.execute("COMMIT", [])
        return Report(
            tables: copied,
            binaryTables: Set(plan.tables.filter { binaryAllowed && $0.copiesInBinary }.map(\.name)),
            copiedAgainInOrder: copiedAgain,
            seconds: Date().timeIntervalSince(started)
        )
    }

    // MARK: Refusals

    /// Refuses a prod-tier target, the same environment on both sides, and one database as both;
    /// ``run(progress:)`` checks this first too. Needs no connection.
    public func checkEndpoints() throws(CloneError) {
        guard targetOwner.tier != .prod else {
            throw CloneError.refused(
                "refusing to clone into '\(targetOwner.environment)': its tier is prod, and a clone replaces all of its data",
                fix: "clone into staging or dev"
            )
        }
        guard targetOwner.environment != sourceOwner.environment else {
            throw CloneError.refused(
                "the source and the target are the same environment ('\(targetOwner.environment)')",
                fix: "name two environments: --from prod --to staging"
            )
        }
        if case .postgres(let a) = source.kind, case .postgres(let b) = target.kind, a.host == b.host, a.port == b.port,
            a.database == b.database
        {
            throw CloneError.refused(
                "the source and the target are the same database (\(target.label))",
                fix: "point the target environment's DATABASE_URL at its own database"
            )
        }
    }

    /// The source must carry its environment's stamp; the target its own (an unstamped target
    /// is refused too: a clone replaces everything in it).
    private func checkStamp(_ session: any SQLSession, url: DatabaseURL, owner: DatabaseOwner, role: String)
        async throws
    {
        let stamp = try await IdentityStampStore(session: session, url: url).read()
        guard let stamp, stamp.environment == owner.environment, stamp.project == owner.project else {
            let found = stamp.map { "is stamped for '\($0.project)' / '\($0.environment)'" } ?? "has no identity stamp"
            throw CloneError.refused(
                "the \(role), \(url.label), \(found); expected '\(owner.project)' / '\(owner.environment)'",
                fix: stamp == nil
                    ? "stamp it first: wenwex db stamp --env \(owner.environment)"
                    : "check \(owner.environment)'s DATABASE_URL"
            )
        }
    }

    // MARK: Planning

    static func plan(_ session: any SQLSession, rules: [String: [String: SanitizeRule]]) async throws -> ClonePlan {
        // The target keeps its own history, stamp, server registry and backfill progress.
        let bookkeeping = SchemaIntrospection.bookkeepingTables.sorted()
            .map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ", ")
        let tableRows = try await session.queryText(
            """
            SELECT n.nspname, c.relname, c.oid::text, greatest(c.reltuples, 0)::bigint::text, c.relkind::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
              AND c.relname NOT IN (\(unsafeRaw: bookkeeping))
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY 1, 2
            """
        )
        var tables: [ClonePlan.Table] = []
        var unknown: [String] = []
        let known = Set(tableRows.compactMap { $0[1] })
        for name in rules.keys.sorted() where !known.contains(name) {
            unknown.append("the sanitize rules name table '\(name)', which the source does not have")
        }
        for row in tableRows {
            guard let schema = row[0], let name = row[1], let oid = row[2] else { continue }
            let columns = try await session.queryText(
                """
                SELECT a.attname, format_type(a.atttypid, a.atttypmod),
                  CASE WHEN a.atttypmod > 4 AND a.atttypid IN (1042, 1043) THEN (a.atttypmod - 4)::text END,
                  EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique
                    AND i.indnatts = 1 AND i.indkey[0] = a.attnum)::text,
                  CASE WHEN b.oid IN (19, 25, 1042, 1043) THEN 'text'
                    WHEN (b.oid < 16384 AND coalesce(e.typname, b.typname)::text NOT LIKE 'reg%') OR b.typtype = 'e'
                      THEN 'portable'
                  END
                FROM pg_attribute a
                JOIN pg_type t ON t.oid = a.atttypid
                JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
                LEFT JOIN pg_type e ON e.oid = b.typelem AND b.typcategory = 'A'
                WHERE a.attrelid = \(unsafeRaw: oid)::oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                ORDER BY a.attnum
                """
            )
            let primaryKey = try await session.queryText(
                """
                SELECT a.attname FROM pg_index i
                JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = \(unsafeRaw: oid)::oid AND i.indisprimary ORDER BY k.position
                """
            ).compactMap { $0[0] }
            let tableRules = rules[name] ?? [:]
            let names = Set(columns.compactMap { $0[0] })
            for column in tableRules.keys.sorted() where !names.contains(column) {
                unknown.append("the sanitize rules name column '\(name).\(column)', which the source does not have")
            }
            tables.append(
                ClonePlan.Table(
                    schema: schema,
                    name: name,
                    columns: columns.compactMap { column in
                        guard let columnName = column[0], let type = column[1] else { return nil }
                        let probe = SQLColumn(name: columnName, type: SQLColumnType(type.uppercased(), family: .string))
                        return ClonePlan.Column(
                            name: columnName,
                            type: type,
                            rule: tableRules[columnName] ?? .keep,
                            ruleWasGiven: tableRules[columnName] != nil,
                            personal: PersonalData.reason(probe),
                            isUnique: column[3] == "true",
                            maxLength: column[2].flatMap { Int($0) },
                            binaryForm: column[4] == "text"
                                ? .text : column[4] == "portable" ? .portable : .databaseSpecific
                        )
                    },
                    estimatedRows: Int(row[3] ?? "") ?? 0,
                    orderBy: primaryKey.isEmpty ? columns.compactMap { $0[0] } : primaryKey,
                    isPartitioned: row[4] == "p"
                )
            )
        }
        guard unknown.isEmpty else { throw CloneError.unknownColumn(unknown.joined(separator: "; ")) }
        return ClonePlan(tables: tables)
    }

    // MARK: Copying

    /// The major version (`server_version_num / 10000`) of the server behind `session`.
    private static func majorVersion(_ session: any SQLSession) async throws -> Int? {
        let number = try await session.queryText("SHOW server_version_num").first?.first ?? nil
        return number.flatMap { Int($0) }.map { $0 / 10_000 }
    }

    /// Every sequence owned by a copied column moves past the largest copied value.
    static func resetSequences(_ session: any SQLSession, plan: ClonePlan) async throws {
        for table in plan.tables {
            for column in table.columns {
                let sequence =
                    try await session.queryText(
                        "SELECT pg_get_serial_sequence($1, $2)",
                        [.text(table.qualified), .text(column.name)]
                    ).first?.first ?? nil
                guard let sequence else { continue }
                let quoted = SQLDialect.postgres.quoteIdentifier(column.name)
                try await session.execute(
                    "SELECT setval($1, coalesce((SELECT max(\(quoted)) FROM \(table.qualified)), 0) + 1, false)",
                    [.text(sequence)]
                )
            }
        }
    }
}
