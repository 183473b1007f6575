/// Fast answers for `RelationRules` on schemas whose models and views have unique names.
///
/// `RelationRules.collect` gathers relation fields block by block, so with unique names the
/// fields of one model are one run of the list. Ambiguity (two relations from one model to
/// another under one name) can then only occur inside a run, and a field's opposite can only
/// be in the run of its target: both are found without hashing every field's ends, which was
/// a large part of validating a schema with thousands of relations. With repeated names the
/// rules fall back to their general lookups, so the results are the same either way.
enum RelationRuns {
    /// Whether any model has two relation fields to the same model under the same name (or
    /// both unnamed): only then can `RelationRules.checkAmbiguity` find anything.
    static func mayBeAmbiguous(_ fields: [RelationRules.RelationField]) -> Bool {
        var start = 0
        while start < fields.count {
            let model = fields[start].model.identity
            var end = start + 1
            while end < fields.count, fields[end].model.identity == model { end += 1 }
            for first in start..<end {
                for second in (first + 1)..<end
                where fields[first].target.identity == fields[second].target.identity
                    && (fields[first].relationName ?? "") == (fields[second].relationName ?? "")
                {
                    return true
                }
            }
            start = end
        }
        return false
    }
}

/// Finds a relation field's opposite: a field of the target model pointing back at the
/// field's model under the same relation name.
struct OppositeFinder {
    private let fields: [RelationRules.RelationField]
    /// With unique names: each model's run of `fields`, by block.
    private var runs: [ObjectIdentifier: Range<Int>] = [:]
    /// Otherwise: fields by their ends.
    private var byEnds: [RelationRules.Ends: [Int]] = [:]
    private let byBlock: Bool

    init(_ fields: [RelationRules.RelationField], hasUniqueModelNames: Bool) {
        self.fields = fields
        byBlock = hasUniqueModelNames
        if byBlock {
            var start = 0
            while start < fields.count {
                let model = fields[start].model.identity
                var end = start + 1
                while end < fields.count, fields[end].model.identity == model { end += 1 }
                runs[model] = start..<end
                start = end
            }
        } else {
            // Relation fields by their ends, so finding a field's opposite is a lookup rather
            // than a scan of every relation field of the schema.
            byEnds.reserveCapacity(fields.count)
            for (index, relation) in fields.enumerated() { byEnds[relation.ends, default: []].append(index) }
        }
    }

    /// The first field (in schema order) on the other end of `relation`, other than itself.
    func opposite(of relation: RelationRules.RelationField) -> RelationRules.RelationField? {
        guard byBlock else {
            let candidates = byEnds[relation.ends.reversed] ?? []
            return candidates.lazy.map { fields[$0] }.first { $0.key != relation.key }
        }
        guard let run = runs[relation.target.identity] else { return nil }
        let modelName = relation.model.name.name
        for index in run {
            let candidate = fields[index]
            if candidate.target.name.name == modelName, candidate.relationName == relation.relationName,
                candidate.key != relation.key
            {
                return candidate
            }
        }
        return nil
    }
}
