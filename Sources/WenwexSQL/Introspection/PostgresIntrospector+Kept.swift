/// The objects `schema.prisma` cannot express, read so they can be shown and compared, never
/// dropped by default (see `SQLKeptObject`).
extension PostgresIntrospector {
    /// Installed extensions other than `plpgsql`, which every database has, with the schema
    /// they were installed into (`nspname`; compared with `current_schema()`) and their version.
    static let extensionsQuery = """
        SELECT e.extname::text AS extname, n.nspname::text AS nspname, current_schema()::text AS current,
               e.extversion::text AS extversion
          FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
         WHERE e.extname <> 'plpgsql' ORDER BY 1
        """

    /// Triggers, functions, views, policies, row-level security switches, free-standing sequences
    /// and domains in the introspected schemas; objects an extension owns (`pg_trgm`'s
    /// functions) are the extension's, not the project's, and are left out.
    func keptObjects(_ session: any SQLSession, _ schemas: String, keepSchema: Bool) async throws -> [SQLKeptObject] {
        var kept: [SQLKeptObject] = []
        let queries: [(SQLKeptObject.Kind, String)] = [
            (.trigger, Self.triggersQuery(schemas)),
            (.function, Self.functionsQuery(schemas)),
            (.view, Self.viewsQuery(schemas)),
            (.policy, Self.policiesQuery(schemas)),
            (.rowLevelSecurity, Self.rowLevelSecurityQuery(schemas)),
            (.sequence, Self.sequencesQuery(schemas)),
            (.domain, Self.domainsQuery(schemas)),
        ]
        for (kind, sql) in queries {
            for row in try await session.query(sql, []) {
                kept.append(
                    SQLKeptObject(
                        kind: row["kind"].text.flatMap(SQLKeptObject.Kind.init(rawValue:)) ?? kind,
                        name: row["name"].text ?? "",
                        table: row["relname"].text,
                        schema: keepSchema ? row["nspname"].text : nil,
                        definition: row["definition"].text ?? ""
                    )
                )
            }
        }
        return kept
    }

    private static let notFromExtension = """
        NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = o.oid AND e.deptype = 'e')
        """

    /// Wenwex's own tables (their triggers) and functions (`_wenwex_audit_guard`) are not the
    /// project's either.
    private static let bookkeepingTables = SchemaIntrospection.bookkeepingTables.sorted()
        .map { "'" + $0 + "'" }.joined(separator: ", ")

    private static func triggersQuery(_ schemas: String) -> String {
        """
        SELECT n.nspname::text AS nspname, c.relname::text AS relname, o.tgname::text AS name,
               pg_get_triggerdef(o.oid) AS definition
          FROM pg_trigger o
          JOIN pg_class c ON c.oid = o.tgrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE NOT o.tgisinternal AND n.nspname = ANY(\(schemas)) AND \(notFromExtension)
           AND c.relname NOT IN (\(bookkeepingTables))
         ORDER BY 1, 2, 3
        """
    }

    private static func functionsQuery(_ schemas: String) -> String {
        """
        SELECT n.nspname::text AS nspname, NULL::text AS relname,
               o.proname::text || '(' || pg_get_function_identity_arguments(o.oid) || ')' AS name,
               pg_get_functiondef(o.oid) AS definition
          FROM pg_proc o
          JOIN pg_namespace n ON n.oid = o.pronamespace
         WHERE o.prokind IN ('f', 'p') AND n.nspname = ANY(\(schemas)) AND \(notFromExtension)
           AND o.proname NOT LIKE '\\_wenwex\\_%'
         ORDER BY 1, 3
        """
    }

    private static func viewsQuery(_ schemas: String) -> String {
        """
        SELECT n.nspname::text AS nspname, NULL::text AS relname, o.relname::text AS name,
               pg_get_viewdef(o.oid, true) AS definition,
               CASE o.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END AS kind
          FROM pg_class o
          JOIN pg_namespace n ON n.oid = o.relnamespace
         WHERE o.relkind IN ('v', 'm') AND n.nspname = ANY(\(schemas)) AND \(notFromExtension)
         ORDER BY 1, 3
        """
    }

    private static func policiesQuery(_ schemas: String) -> String {
        """
        SELECT n.nspname::text AS nspname, c.relname::text AS relname, o.polname::text AS name,
               o.polcmd::text || ' USING ' || coalesce(pg_get_expr(o.polqual, o.polrelid), '')
                 || ' CHECK ' || coalesce(pg_get_expr(o.polwithcheck, o.polrelid), '') AS definition
          FROM pg_policy o
          JOIN pg_class c ON c.oid = o.polrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ANY(\(schemas))
         ORDER BY 1, 2, 3
        """
    }

    /// Tables with row-level security switched on, named after the table.
    private static func rowLevelSecurityQuery(_ schemas: String) -> String {
        """
        SELECT n.nspname::text AS nspname, o.relname::text AS relname, o.relname::text AS name,
               CASE WHEN o.relforcerowsecurity THEN 'enabled, forced' ELSE 'enabled' END AS definition
          FROM pg_class o
          JOIN pg_namespace n ON n.oid = o.relnamespace
         WHERE o.relkind IN ('r', 'p') AND o.relrowsecurity AND n.nspname = ANY(\(schemas))
           AND o.relname NOT IN (\(bookkeepingTables))
         ORDER BY 1, 2
        """
    }

    /// Sequences no column owns: `SERIAL` and identity columns own theirs (an `a`/`i`
    /// dependency on the table), and those come and go with the column.
    private static func sequencesQuery(_ schemas: String) -> String {
        """
        SELECT n.nspname::text AS nspname, NULL::text AS relname, o.relname::text AS name,
               format('%s START %s INCREMENT %s MINVALUE %s MAXVALUE %s%s', format_type(s.seqtypid, NULL),
                      s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                      CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END) AS definition
          FROM pg_class o
          JOIN pg_sequence s ON s.seqrelid = o.oid
          JOIN pg_namespace n ON n.oid = o.relnamespace
         WHERE o.relkind = 'S' AND n.nspname = ANY(\(schemas)) AND \(notFromExtension)
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.objid = o.oid AND d.classid = 'pg_class'::regclass
                              AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
         ORDER BY 1, 3
        """
    }

    /// Domains, with their base type, default, `NOT NULL` and checks.
    private static func domainsQuery(_ schemas: String) -> String {
        """
        SELECT n.nspname::text AS nspname, NULL::text AS relname, o.typname::text AS name,
               format_type(o.typbasetype, o.typtypmod)
                 || CASE WHEN o.typnotnull THEN ' NOT NULL' ELSE '' END
                 || coalesce(' DEFAULT ' || o.typdefault, '')
                 || coalesce((SELECT ' ' || string_agg(pg_get_constraintdef(c.oid), ' ' ORDER BY c.conname)
                                FROM pg_constraint c WHERE c.contypid = o.oid), '') AS definition
          FROM pg_type o
          JOIN pg_namespace n ON n.oid = o.typnamespace
         WHERE o.typtype = 'd' AND n.nspname = ANY(\(schemas)) AND \(notFromExtension)
         ORDER BY 1, 3
        """
    }
}
