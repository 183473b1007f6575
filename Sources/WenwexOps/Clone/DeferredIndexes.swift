import WenwexSQL

/// The target's secondary indexes, dropped before a clone loads its rows and built again
/// afterwards, inside the clone's transaction (DDL is transactional in PostgreSQL, so a failed
/// clone gets them back with the old rows).
///
/// Building an index once over loaded rows is much faster than updating it row by row, which
/// is why `pg_restore` creates indexes after the data too. Indexes a constraint relies on
/// (primary keys, unique constraints, the unique index a foreign key references) stay; a
/// rebuilt unique index also proves the fake values stayed unique, or the clone rolls back.
enum DeferredIndexes {
    /// Drops the indexes of `tables` (quoted, qualified) that nothing depends on, and returns
    /// their definitions (`pg_get_indexdef`).
    static func drop(_ session: any SQLSession, tables: [String]) async throws -> [String] {
        guard !tables.isEmpty else { return [] }
        let literal =
            "{"
            + tables.map {
                "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            }.joined(separator: ",") + "}"
        let rows = try await session.queryText(
            """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class t ON t.oid = i.indrelid
            WHERE i.indrelid IN (SELECT to_regclass(x) FROM unnest($1::text[]) x)
              AND t.relkind = 'r' AND NOT t.relispartition AND NOT i.indisprimary AND c.relkind = 'i'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
              AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
            ORDER BY 1
            """,
            [.text(literal)]
        )
        var definitions: [String] = []
        for row in rows {
            guard let name = row[0], let definition = row[1] else { continue }
            try await session.execute("DROP INDEX \(name)", [])
            definitions.append(definition)
        }
        return definitions
    }

    static func rebuild(_ session: any SQLSession, _ definitions: [String]) async throws {
        for definition in definitions { try await session.execute(definition, []) }
    }
}
