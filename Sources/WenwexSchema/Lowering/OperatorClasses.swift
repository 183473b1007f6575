/// Prisma's `ops:` values as PostgreSQL operator class names.
///
/// Prisma spells the built-in classes in PascalCase (`JsonbPathOps`, `Int4MinMaxOps`) and any
/// other as `raw("gin_trgm_ops")`. A class that is the default for its method is dropped, as
/// introspection reports only non-default ones, so `ops: JsonbOps` is no drift.
enum OperatorClasses {
    static func databaseName(of value: Expression, method: String?) -> String? {
        let name: String
        if case .function("raw", let arguments) = value.kind, let text = arguments.first?.value.stringValue {
            name = text
        } else if let constant = value.constantName {
            name = snakeCase(constant)
        } else {
            return nil
        }
        return isDefault(name, method: method) ? nil : name
    }

    /// `JsonbPathOps` → `jsonb_path_ops`, `Int4MinMaxMultiOps` → `int4_minmax_multi_ops`.
    static func snakeCase(_ pascal: String) -> String {
        var words = pascal
        for (from, to) in [
            ("MinMax", "Minmax"), ("TimestampTz", "Timestamptz"), ("TimeTz", "Timetz"), ("MacAddr", "Macaddr"),
            ("VarBit", "Varbit"),
        ] {
            words = words.replacingOccurrences(of: from, with: to)
        }
        var result = ""
        for character in words {
            if character.isUppercase, !result.isEmpty { result += "_" }
            result += character.lowercased()
        }
        return result
    }

    /// The classes PostgreSQL uses when none is named, for the methods Prisma offers.
    private static func isDefault(_ name: String, method: String?) -> Bool {
        switch method {
        case "gin": ["jsonb_ops", "array_ops", "tsvector_ops"].contains(name)
        case "brin": name.hasSuffix("_minmax_ops") || ["inet_inclusion_ops", "range_inclusion_ops"].contains(name)
        case "spgist": ["inet_ops", "text_ops", "range_ops", "quad_point_ops", "box_ops", "poly_ops"].contains(name)
        case "gist":
            ["range_ops", "box_ops", "circle_ops", "poly_ops", "point_ops", "tsvector_ops", "multirange_ops"].contains(
                name
            )
        default: false
        }
    }
}
