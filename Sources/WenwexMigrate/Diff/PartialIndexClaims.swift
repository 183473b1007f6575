public import WenwexSQL

/// Partial indexes a schema declares with `where:` (Prisma's `partialIndexes` preview) taken
/// out of the kept objects and compared as the schema's own indexes.
///
/// Introspection cannot tell a partial index the schema declares from one a migration wrote by
/// hand, so it reports every one as kept (`SQLKeptObject.partialIndex`). A kept partial index is
/// claimed when the other side has an index of its name on its table, or a partial index of its
/// definition under another name (then it is renamed, not rebuilt). What nobody claims stays
/// kept, and is never dropped by default.
public enum PartialIndexClaims {
    /// `side` with the partial indexes `other` names moved from `kept` into their tables.
    public static func claimed(_ side: SQLSchema, by other: SQLSchema) -> SQLSchema {
        guard side.kept.contains(where: { $0.partialIndex != nil }) else { return side }
        var result = side
        var kept: [SQLKeptObject] = []
        for object in side.kept {
            guard let index = object.partialIndex, let table = object.table,
                let position = result.tables.firstIndex(where: { $0.name == table && $0.schema == object.schema }),
                let counterpart = other.table(table, schema: object.schema),
                counterpart.allIndexes.contains(where: { claims($0, index) })
            else {
                kept.append(object)
                continue
            }
            result.tables[position].indexes.append(index)
        }
        result.kept = kept
        return result
    }

    private static func claims(_ declared: SQLIndex, _ found: SQLIndex) -> Bool {
        declared.name == found.name || (declared.predicate != nil && declared.renamed(found.name) == found)
    }
}
