/// Prisma's `ops:` values as PostgreSQL operator class names.
///
/// Prisma spells the built-in classes in PascalCase (`JsonbPathOps`, `Int4MinMaxOps`) and any
/// other as `raw("gin_trgm_ops")`. A class that is the default for its method is dropped, as
/// introspection reports only non-default ones, so `ops: JsonbOps` is no drift.
enum OperatorClasses {
    static func databaseName(of value: Expression, method: String?) -> String? {
        guard let name = name(of: value) else { return nil }
        return isDefault(name, method: method) ? nil : name
    }

    /// The class an `ops:` value names, default or not.
    static func name(of value: Expression) -> String? {
        if case .function("raw", let arguments) = value.kind, let text = arguments.first?.value.stringValue {
            return text
        }
        return value.constantName.map(snakeCase)
    }

    /// The extension that defines `name` for `method`, when it is one of the contrib
    /// extensions' classes: an index naming `gin_trgm_ops` cannot be built before `pg_trgm` is
    /// installed, whether or not the datasource lists it.
    static func providingExtension(_ name: String, method: String?) -> String? {
        switch method {
        case "gin" where name == "gin_trgm_ops", "gist" where name == "gist_trgm_ops": "pg_trgm"
        case "gin" where btreeGin.contains(name): "btree_gin"
        case "gist" where btreeGist.contains(name): "btree_gist"
        default: nil
        }
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

    /// Whether PostgreSQL uses `name` when an index of `method` (the default B-tree when `nil`)
    /// names no class. An operator class name belongs to one method, so the name alone decides:
    /// these are the classes `pg_opclass` marks `opcdefault` in PostgreSQL 15's catalog, the
    /// mark introspection reads, including those `btree_gin` and `btree_gist` add (every one a
    /// default). `pg_trgm`'s `gin_trgm_ops` and `gist_trgm_ops` are not defaults.
    static func isDefault(_ name: String, method: String?) -> Bool {
        defaults[method ?? "btree"]?.contains(name) ?? false
    }

    private static let defaults: [String: Set<String>] = [
        "brin": [
            "bit_minmax_ops", "box_inclusion_ops", "bpchar_minmax_ops", "bytea_minmax_ops", "char_minmax_ops",
            "date_minmax_ops", "float4_minmax_ops", "float8_minmax_ops", "inet_inclusion_ops",
            "int2_minmax_ops", "int4_minmax_ops", "int8_minmax_ops", "interval_minmax_ops",
            "macaddr8_minmax_ops", "macaddr_minmax_ops", "name_minmax_ops", "numeric_minmax_ops",
            "oid_minmax_ops", "pg_lsn_minmax_ops", "range_inclusion_ops", "text_minmax_ops", "tid_minmax_ops",
            "time_minmax_ops", "timestamp_minmax_ops", "timestamptz_minmax_ops", "timetz_minmax_ops",
            "uuid_minmax_ops", "varbit_minmax_ops",
        ],
        "btree": [
            "array_ops", "bit_ops", "bool_ops", "bpchar_ops", "bytea_ops", "char_ops", "date_ops", "enum_ops",
            "float4_ops", "float8_ops", "inet_ops", "int2_ops", "int4_ops", "int8_ops", "interval_ops",
            "jsonb_ops", "macaddr8_ops", "macaddr_ops", "money_ops", "multirange_ops", "name_ops",
            "numeric_ops", "oid_ops", "oidvector_ops", "pg_lsn_ops", "range_ops", "record_ops", "text_ops",
            "tid_ops", "time_ops", "timestamp_ops", "timestamptz_ops", "timetz_ops", "tsquery_ops",
            "tsvector_ops", "uuid_ops", "varbit_ops", "xid8_ops",
        ],
        "gin": Set(["array_ops", "jsonb_ops", "tsvector_ops"]).union(btreeGin),
        "gist": Set([
            "box_ops", "circle_ops", "multirange_ops", "point_ops", "poly_ops", "range_ops", "tsquery_ops",
            "tsvector_ops",
        ]).union(btreeGist),
        "hash": [
            "aclitem_ops", "array_ops", "bool_ops", "bpchar_ops", "bytea_ops", "char_ops", "cid_ops",
            "date_ops", "enum_ops", "float4_ops", "float8_ops", "inet_ops", "int2_ops", "int4_ops", "int8_ops",
            "interval_ops", "jsonb_ops", "macaddr8_ops", "macaddr_ops", "multirange_ops", "name_ops",
            "numeric_ops", "oid_ops", "oidvector_ops", "pg_lsn_ops", "range_ops", "record_ops", "text_ops",
            "tid_ops", "time_ops", "timestamp_ops", "timestamptz_ops", "timetz_ops", "uuid_ops", "xid8_ops",
            "xid_ops",
        ],
        "spgist": [
            "box_ops", "inet_ops", "poly_ops", "quad_point_ops", "range_ops", "text_ops",
        ],
    ]

    /// `btree_gin`'s classes, each the default of `gin` for its type once the extension is in.
    private static let btreeGin: Set<String> = [
        "bit_ops", "bool_ops", "bpchar_ops", "bytea_ops", "char_ops", "cidr_ops", "date_ops", "enum_ops",
        "float4_ops", "float8_ops", "inet_ops", "int2_ops", "int4_ops", "int8_ops", "interval_ops", "macaddr8_ops",
        "macaddr_ops", "money_ops", "name_ops", "numeric_ops", "oid_ops", "text_ops", "time_ops", "timestamp_ops",
        "timestamptz_ops", "timetz_ops", "uuid_ops", "varbit_ops", "varchar_ops",
    ]

    /// `btree_gist`'s classes, each the default of `gist` for its type once the extension is in.
    private static let btreeGist: Set<String> = [
        "gist_bit_ops", "gist_bool_ops", "gist_bpchar_ops", "gist_bytea_ops", "gist_cash_ops", "gist_cidr_ops",
        "gist_date_ops", "gist_enum_ops", "gist_float4_ops", "gist_float8_ops", "gist_inet_ops", "gist_int2_ops",
        "gist_int4_ops", "gist_int8_ops", "gist_interval_ops", "gist_macaddr8_ops", "gist_macaddr_ops",
        "gist_numeric_ops", "gist_oid_ops", "gist_text_ops", "gist_time_ops", "gist_timestamp_ops",
        "gist_timestamptz_ops", "gist_timetz_ops", "gist_uuid_ops", "gist_vbit_ops",
    ]
}
