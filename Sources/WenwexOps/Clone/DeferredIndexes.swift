import WenwexSQL

/// The target's keys, indexes and foreign keys, dropped before a clone loads its rows and made
/// again afterwards, inside the clone's transaction (DDL is transactional in PostgreSQL, so a
/// failed clone gets them back with the old rows).
///
/// Building an index once over loaded rows is much faster than updating it row by row: on a
/// million-row table the primary key alone more than doubles the time `COPY` takes. That is
/// why `pg_restore` creates keys and indexes after the data too. The order here is the same:
/// primary-key, unique and exclusion constraints, then the other indexes, then foreign keys,
/// then what dropping an index loses: comments, `REPLICA IDENTITY USING INDEX` and `CLUSTER ON`.
/// A rebuilt unique index also proves the fake values stayed unique, or the clone rolls back.
///
/// A foreign key whose columns, on both sides, are copied as they are stays in place: its
/// triggers are off for the load (`session_replication_role = replica`), and it holds in the
/// target because it held in the source's snapshot (a subset brings every parent its rows
/// need). Checking it again would cost a join over the table, so only the foreign keys a rule
/// rewrites a column of are dropped and made again, checked against the loaded rows. The
/// unique index a remaining foreign key references stays too, since PostgreSQL needs it.
///
/// Partitioned tables and their partitions keep theirs: a partition's index belongs to its
/// parent's.
enum DeferredIndexes {
    /// A column a rule rewrites: schema, table and column name.
    struct Column: Hashable, Sendable {
        var schema: String
        var table: String
        var name: String
    }

    /// Drops the keys, indexes and foreign keys of `tables` (quoted, qualified) that can be
    /// dropped, and returns the statements that make them again, in the order to run them
    /// (``rebuild(_:_:)``). `rewritten`: the columns a rule changes.
    ///
    /// Every name in the statements is schema-qualified: the definitions are read and run with
    /// only `pg_catalog` on the search path, so a clone that moves the search path between
    /// tables cannot change what a definition refers to.
    static func drop(_ session: any SQLSession, tables: [String], rewritten: Set<Column>) async throws -> [String] {
        guard !tables.isEmpty else { return [] }
        let tableList = arrayLiteral(tables)
        let rows = try await withCatalogSearchPath(session) {
            var checked: Set<String> = []
            for row in try await session.queryText(foreignKeyColumnsSQL, [.text(tableList)]) {
                guard let key = row[0], let schema = row[1], let table = row[2], let column = row[3] else { continue }
                if rewritten.contains(Column(schema: schema, table: table, name: column)) { checked.insert(key) }
            }
            return try await session.queryText(
                deferralSQL,
                [.text(tableList), .text("{" + checked.sorted().joined(separator: ",") + "}")]
            )
        }
        var rebuildByPhase: [Int: [String]] = [:]
        for row in rows {
            guard let phase = row[0].flatMap({ Int($0) }), let statement = row[2] else { continue }
            if let drop = row[1] { try await session.execute(drop, []) }
            rebuildByPhase[phase, default: []].append(statement)
        }
        return rebuildByPhase.keys.sorted().flatMap { rebuildByPhase[$0] ?? [] }
    }

    /// Runs what ``drop(_:tables:)`` returned, under the same search path it was read with.
    static func rebuild(_ session: any SQLSession, _ statements: [String]) async throws {
        guard !statements.isEmpty else { return }
        try await withCatalogSearchPath(session) {
            for statement in statements { try await session.execute(statement, []) }
        }
    }

    /// Runs `body` with only `pg_catalog` on the transaction's search path, then puts back the
    /// one that was set.
    private static func withCatalogSearchPath<Result>(
        _ session: any SQLSession,
        _ body: () async throws -> Result
    ) async throws -> Result {
        let searchPath = try await session.queryText("SHOW search_path").first?.first ?? nil
        try await session.execute("SET LOCAL search_path TO pg_catalog", [])
        let result = try await body()
        if let searchPath {
            try await session.execute("SELECT set_config('search_path', $1, true)", [.text(searchPath)])
        }
        return result
    }

    /// A `text[]` literal of the table names.
    private static func arrayLiteral(_ tables: [String]) -> String {
        "{"
            + tables.map {
                "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            }.joined(separator: ",") + "}"
    }

    /// The foreign keys touching the plain tables among `$1`, one row per column on either
    /// side: (constraint OID, schema, table, column).
    private static let foreignKeyColumnsSQL = """
        WITH plain AS (
          SELECT c.oid FROM unnest($1::text[]) x JOIN pg_class c ON c.oid = to_regclass(x)
          WHERE c.relkind = 'r' AND NOT c.relispartition
        ),
        foreign_keys AS (
          SELECT k.* FROM pg_constraint k
          WHERE k.contype = 'f' AND k.conparentid = 0
            AND (k.conrelid IN (SELECT oid FROM plain) OR k.confrelid IN (SELECT oid FROM plain))
        )
        SELECT k.oid::text, n.nspname, t.relname, a.attname
        FROM foreign_keys k CROSS JOIN LATERAL unnest(k.conkey) c(attnum)
          JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = c.attnum
          JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        UNION ALL
        SELECT k.oid::text, n.nspname, t.relname, a.attname
        FROM foreign_keys k CROSS JOIN LATERAL unnest(k.confkey) c(attnum)
          JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = c.attnum
          JOIN pg_class t ON t.oid = k.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        """

    /// Rows of (phase, drop statement or NULL, statement to run after the load), in the order
    /// the drops must run: foreign keys first, since they depend on the keys and unique indexes
    /// they reference. `$2`: the OIDs of the foreign keys to drop and check again; the indexes
    /// every other foreign key references stay. Phases: 1 keys, 2 indexes, 3 foreign keys,
    /// 4 comments and index marks.
    private static let deferralSQL = """
        WITH plain AS (
          SELECT c.oid FROM unnest($1::text[]) x JOIN pg_class c ON c.oid = to_regclass(x)
          WHERE c.relkind = 'r' AND NOT c.relispartition
        ),
        foreign_keys AS (
          SELECT k.oid, k.conname, k.conrelid FROM pg_constraint k WHERE k.oid = ANY($2::oid[])
        ),
        referenced AS (
          SELECT k.conindid FROM pg_constraint k WHERE k.contype = 'f' AND NOT k.oid = ANY($2::oid[])
        ),
        keys AS (
          SELECT k.oid, k.conname, k.conrelid, k.conindid FROM pg_constraint k
          WHERE k.contype IN ('p', 'u', 'x') AND k.conrelid IN (SELECT oid FROM plain)
            AND k.conindid NOT IN (SELECT conindid FROM referenced)
        ),
        indexes AS (
          SELECT i.indexrelid, i.indrelid FROM pg_index i
          WHERE i.indrelid IN (SELECT oid FROM plain)
            AND i.indexrelid NOT IN (SELECT conindid FROM referenced)
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
            AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
        ),
        dropped_indexes AS (
          SELECT indexrelid FROM indexes UNION SELECT conindid FROM keys
        ),
        statements AS (
          SELECT 0 AS step, 3 AS phase, n.nspname, t.relname, k.conname AS object,
            format('ALTER TABLE %I.%I DROP CONSTRAINT %I', n.nspname, t.relname, k.conname) AS drop_statement,
            format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', n.nspname, t.relname, k.conname, pg_get_constraintdef(k.oid))
              AS rebuild_statement
          FROM foreign_keys k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
          UNION ALL
          SELECT 1, 1, n.nspname, t.relname, k.conname,
            format('ALTER TABLE %I.%I DROP CONSTRAINT %I', n.nspname, t.relname, k.conname),
            format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', n.nspname, t.relname, k.conname, pg_get_constraintdef(k.oid))
          FROM keys k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
          UNION ALL
          SELECT 2, 2, n.nspname, t.relname, c.relname,
            format('DROP INDEX %I.%I', n.nspname, c.relname), pg_get_indexdef(i.indexrelid)
          FROM indexes i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
          UNION ALL
          SELECT 3, 4, n.nspname, t.relname, k.conname, NULL,
            format('COMMENT ON CONSTRAINT %I ON %I.%I IS %L', k.conname, n.nspname, t.relname, d.description)
          FROM (SELECT oid, conname, conrelid FROM foreign_keys UNION ALL SELECT oid, conname, conrelid FROM keys) k
            JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = k.oid AND d.objsubid = 0
          UNION ALL
          SELECT 3, 4, n.nspname, t.relname, c.relname, NULL,
            format('COMMENT ON INDEX %I.%I IS %L', n.nspname, c.relname, d.description)
          FROM indexes i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
          UNION ALL
          SELECT 3, 4, n.nspname, t.relname, c.relname, NULL,
            format('ALTER TABLE %I.%I %s %I', n.nspname, t.relname, mark.clause, c.relname)
          FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL (VALUES (x.indisreplident, 'REPLICA IDENTITY USING INDEX'), (x.indisclustered, 'CLUSTER ON'))
              mark(applies, clause)
          WHERE mark.applies AND x.indexrelid IN (SELECT indexrelid FROM dropped_indexes)
        )
        SELECT phase::text, drop_statement, rebuild_statement FROM statements
        ORDER BY step, nspname, relname, object
        """
}
