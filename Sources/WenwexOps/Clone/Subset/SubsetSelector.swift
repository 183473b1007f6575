import WenwexSQL

/// Chooses the rows of a subset clone, inside the source's snapshot, so that the copy is closed
/// under its foreign keys.
///
/// Rows are named by `ctid`: within one `REPEATABLE READ` snapshot a visible row keeps its
/// physical address, and `ctid = ANY(…)` is a TID scan, so no table needs an index or a
/// temporary table (which a read-only transaction could not create).
///
/// The rules, which also decide what happens around cycles:
/// 1. The start rows are those `--subset` selects.
/// 2. **Parents always come along:** every row a kept row references (through any foreign key,
///    self-references and cycles included) is kept, until nothing new is added.
/// 3. **Children by rule:** from the start tables, child rows are followed downwards along a
///    tree of foreign keys chosen breadth-first; a foreign key back into a table that tree
///    already reached (a self-reference, a cycle) is not followed down, only up by rule 2. So
///    `User:10%` brings those users' orders and the orders' lines, but not every user the
///    sampled users invited, and the subset cannot grow into the whole database.
/// 4. Tables the start tables are not connected to by foreign keys are copied whole.
struct SubsetSelector {
    var session: any SQLSession
    var graph: ForeignKeyGraph
    var plan: ClonePlan

    /// The kept `ctid`s of every table in the start tables' component; tables outside it are
    /// absent (copied whole).
    func select(_ rules: [SubsetRule]) async throws -> [String: Set<String>] {
        var starts: [String: [SubsetRule.Selection]] = [:]
        for rule in rules {
            guard let table = plan.tables.first(where: { $0.name == rule.table }) else {
                throw CloneError.badSubset(rule.description, "the source has no table '\(rule.table)'")
            }
            starts[table.qualified, default: []].append(rule.selection)
        }
        let downEdges = downwardTree(from: Set(starts.keys))
        var kept: [String: Set<String>] = [:]
        var followedDown: [String: Set<String>] = [:]
        var pendingUp: [String: Set<String>] = [:]
        var pendingDown: [String: Set<String>] = [:]
        for table in graph.component(of: Set(starts.keys)) { kept[table] = [] }

        func add(_ rows: [String], to table: String, downward: Bool) {
            var new: Set<String> = []
            for row in rows where kept[table, default: []].insert(row).inserted { new.insert(row) }
            pendingUp[table, default: []].formUnion(new)
            guard downward else { return }
            for row in rows where followedDown[table, default: []].insert(row).inserted {
                pendingDown[table, default: []].insert(row)
            }
        }

        for (table, selections) in starts.sorted(by: { $0.key < $1.key }) {
            for selection in selections {
                add(try await startRows(table, selection), to: table, downward: true)
            }
        }
        while let table = pendingDown.first(where: { !$0.value.isEmpty })?.key
            ?? pendingUp.first(where: { !$0.value.isEmpty })?.key
        {
            if let rows = pendingDown.removeValue(forKey: table), !rows.isEmpty {
                for edge in downEdges where edge.parent == table {
                    let children = try await related(
                        "SELECT c.ctid::text FROM \(edge.child) c JOIN \(edge.parent) p ON \(edge.joinCondition) WHERE p.ctid = ANY($1::tid[])",
                        rows
                    )
                    add(children, to: edge.child, downward: true)
                }
            }
            if let rows = pendingUp.removeValue(forKey: table), !rows.isEmpty {
                for edge in graph.parents(of: table) {
                    let parents = try await related(
                        "SELECT DISTINCT p.ctid::text FROM \(edge.child) c JOIN \(edge.parent) p ON \(edge.joinCondition) WHERE c.ctid = ANY($1::tid[])",
                        rows
                    )
                    add(parents, to: edge.parent, downward: false)
                }
            }
        }
        return kept
    }

    /// Child edges chosen breadth-first from the start tables, never into a table already reached.
    private func downwardTree(from starts: Set<String>) -> [ForeignKeyGraph.Edge] {
        var reached = starts
        var queue = starts.sorted()
        var tree: [ForeignKeyGraph.Edge] = []
        while !queue.isEmpty {
            let table = queue.removeFirst()
            for edge in graph.children(of: table) where !reached.contains(edge.child) {
                reached.insert(edge.child)
                tree.append(edge)
                queue.append(edge.child)
            }
        }
        return tree
    }

    private func startRows(_ table: String, _ selection: SubsetRule.Selection) async throws -> [String] {
        let condition: String
        switch selection {
        case .condition(let sql):
            condition = sql
        case .percent(let percent):
            let key = plan.tables.first { $0.qualified == table }?.orderBy ?? []
            let keyText =
                key.isEmpty
                ? "t::text" : "ROW(" + key.map(SQLDialect.postgres.quoteIdentifier).joined(separator: ", ") + ")::text"
            condition = "abs(hashtextextended(\(keyText), 0) % 1000000) < \(Int((percent * 10_000).rounded()))"
        }
        do {
            return try await session.queryText("SELECT t.ctid::text FROM \(table) t WHERE \(condition)", []).compactMap
            { $0[0] }
        } catch {
            throw CloneError.badSubset("\(table): \(condition)", DatabaseErrorText.describe(error))
        }
    }

    /// Runs `sql` with the `ctid`s in batches, so one bind never grows past a few megabytes.
    private func related(_ sql: String, _ rows: Set<String>) async throws -> [String] {
        var found: [String] = []
        let all = Array(rows)
        for start in stride(from: 0, to: all.count, by: 50_000) {
            let batch = all[start..<min(start + 50_000, all.count)]
            let literal = "{" + batch.map { "\"\($0)\"" }.joined(separator: ",") + "}"
            found += try await session.queryText(sql, [.text(literal)]).compactMap { $0[0] }
        }
        return found
    }
}
