import WenwexSQL

/// The source's foreign keys between the tables a clone copies, read from `pg_constraint`.
struct ForeignKeyGraph: Sendable {
    struct Edge: Sendable, Hashable {
        /// The referencing table and its columns (quoted, qualified).
        var child: String
        var childColumns: [String]
        /// The referenced table and its columns, in the same order.
        var parent: String
        var parentColumns: [String]

        /// `c."userId" = p."id" AND …`
        var joinCondition: String {
            zip(childColumns, parentColumns).map { "c.\($0) = p.\($1)" }.joined(separator: " AND ")
        }
    }

    var edges: [Edge]

    func parents(of table: String) -> [Edge] { edges.filter { $0.child == table } }
    func children(of table: String) -> [Edge] { edges.filter { $0.parent == table } }

    /// Tables joined to `start` by foreign keys in either direction, `start` included.
    func component(of start: Set<String>) -> Set<String> {
        var reached = start
        var queue = Array(start)
        while let table = queue.popLast() {
            for edge in edges where edge.child == table || edge.parent == table {
                for next in [edge.child, edge.parent] where !reached.contains(next) {
                    reached.insert(next)
                    queue.append(next)
                }
            }
        }
        return reached
    }

    static func read(_ session: any SQLSession, tables: Set<String>) async throws -> ForeignKeyGraph {
        let quote = SQLDialect.postgres.quoteIdentifier
        let rows = try await session.queryText(
            """
            SELECT cn.nspname, cc.relname, pn.nspname, pc.relname,
              (SELECT string_agg(a.attname, E'\\x1f' ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n),
              (SELECT string_agg(a.attname, E'\\x1f' ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n)
            FROM pg_constraint con
            JOIN pg_class cc ON cc.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
            JOIN pg_class pc ON pc.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
            WHERE con.contype = 'f'
            ORDER BY con.conname
            """
        )
        var edges: [Edge] = []
        for row in rows {
            guard let childSchema = row[0], let childName = row[1], let parentSchema = row[2], let parentName = row[3],
                let childColumns = row[4], let parentColumns = row[5]
            else { continue }
            let child = quote(childSchema) + "." + quote(childName)
            let parent = quote(parentSchema) + "." + quote(parentName)
            guard tables.contains(child), tables.contains(parent) else { continue }
            edges.append(
                Edge(
                    child: child,
                    childColumns: childColumns.split(separator: "\u{1f}").map { quote(String($0)) },
                    parent: parent,
                    parentColumns: parentColumns.split(separator: "\u{1f}").map { quote(String($0)) }
                )
            )
        }
        return ForeignKeyGraph(edges: edges)
    }
}
