import WenwexSQL

/// Makes a table's rows in memory: fake values, parents for foreign keys, and no repeats in
/// unique column sets (including what the database already holds).
///
/// A row that cannot be made unique after many retries is dropped, and a one-to-one foreign
/// key stops the table once every parent has its child, so a table may get fewer rows than
/// asked for; the report says how many it got.
struct RowMaker {
    let plan: TablePlan
    var random: SeedRandom
    /// The parent rows of each foreign key plan (nil for self-references and broken cycles).
    let parents: [ParentRows?]
    /// Unique keys taken so far, per unique set of the plan.
    var taken: [Set<[String]>]
    /// Per one-to-one plan: parent indexes in a shuffled order, and how many were used.
    private var queues: [[Int]]
    private var cursors: [Int]

    static let nullChance = 0.15
    static let nullParentChance = 0.25
    static let retries = 200

    init(plan: TablePlan, random: SeedRandom, parents: [ParentRows?], taken: [Set<[String]>]) {
        self.plan = plan
        self.random = random
        self.parents = parents
        self.taken = taken
        queues = []
        cursors = []
        for (index, foreignKey) in plan.foreignKeys.enumerated() {
            let count = parents[index]?.rows.count ?? 0
            queues.append(foreignKey.mode == .oneToOne ? self.random.shuffled(Array(0..<count)) : [])
            cursors.append(0)
        }
    }

    /// Up to `count` rows of values for `plan.columns`.
    mutating func rows(_ count: Int) -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        rows.reserveCapacity(count)
        rowLoop: for _ in 0..<count {
            var row = plan.columns.indices.map { index in
                plan.foreignKeyOfColumn[index] == nil ? value(index, attempt: 0) : SQLValue.null
            }
            for index in plan.foreignKeys.indices {
                guard assignParent(index, into: &row, isRetry: false) else { break rowLoop }
            }
            var attempt = 0
            while let set = plan.uniques.firstIndex(where: { collides($0, row) }) {
                attempt += 1
                guard attempt <= Self.retries else { continue rowLoop }
                var replanned = Set<Int>()
                for position in plan.uniques[set] {
                    if let foreignKey = plan.foreignKeyOfColumn[position] {
                        guard replanned.insert(foreignKey).inserted else { continue }
                        guard assignParent(foreignKey, into: &row, isRetry: true) else { break rowLoop }
                    } else {
                        row[position] = value(position, attempt: (attempt + 1) / 2)
                    }
                }
            }
            for (set, positions) in plan.uniques.enumerated() {
                if let key = uniqueKey(positions.map { row[$0] }) { taken[set].insert(key) }
            }
            for (index, foreignKey) in plan.foreignKeys.enumerated() where foreignKey.mode == .selfInline {
                let source = rows.isEmpty ? row : rows[random.below(rows.count)]
                let referenced = foreignKey.foreignKey.referencedColumns.map { name in
                    plan.columns.firstIndex { $0.name == name }.map { source[$0] } ?? .null
                }
                for (position, value) in zip(plan.foreignKeys[index].positions, referenced) { row[position] = value }
            }
            keepTimesInOrder(&row)
            rows.append(row)
        }
        return rows
    }

    /// `updatedAt` never before `createdAt`: both are drawn independently, then the later wins.
    private func keepTimesInOrder(_ row: inout [SQLValue]) {
        guard let created = timeColumn(["createdat", "created", "insertedat"]),
            let updated = timeColumn(["updatedat", "modifiedat", "updated"]),
            case .text(let createdText) = row[created], case .text(let updatedText) = row[updated],
            updatedText < createdText
        else { return }
        row[updated] = row[created]
    }

    private func timeColumn(_ names: [String]) -> Int? {
        plan.columns.indices.first { index in
            let name = plan.columns[index].name.lowercased().replacingOccurrences(of: "_", with: "")
            return names.contains(name) && [.dateTime, .date].contains(plan.kinds[index])
        }
    }

    private mutating func value(_ position: Int, attempt: Int) -> SQLValue {
        if attempt == 0, plan.columns[position].isNullable, random.chance(Self.nullChance) { return .null }
        return FakeValue.make(plan.kinds[position], maxLength: plan.maxLengths[position], attempt: attempt, &random)
    }

    private func collides(_ positions: [Int], _ row: [SQLValue]) -> Bool {
        guard let set = plan.uniques.firstIndex(of: positions), let key = uniqueKey(positions.map { row[$0] })
        else { return false }
        return taken[set].contains(key)
    }

    /// Points foreign key plan `index` at a parent; false when a one-to-one key ran out of
    /// parents or a required key has none, which ends the table.
    private mutating func assignParent(_ index: Int, into row: inout [SQLValue], isRetry: Bool) -> Bool {
        let foreignKey = plan.foreignKeys[index]
        let values: [SQLValue]?
        switch foreignKey.mode {
        case .null, .selfLater, .selfInline:
            values = nil
        case .random, .oneToOne:
            guard let parents = parents[index], !parents.rows.isEmpty else {
                return foreignKey.isOptional
            }
            if !isRetry, foreignKey.isOptional, random.chance(Self.nullParentChance) {
                values = nil
            } else if foreignKey.mode == .oneToOne {
                guard cursors[index] < queues[index].count else { return false }
                values = parents.values(queues[index][cursors[index]], foreignKey.foreignKey.referencedColumns)
                cursors[index] += 1
            } else {
                values = parents.values(random.below(parents.rows.count), foreignKey.foreignKey.referencedColumns)
            }
        }
        for (offset, position) in foreignKey.positions.enumerated() {
            row[position] = values?[offset] ?? .null
        }
        return true
    }
}
