import WenwexSQL

/// The database type Prisma creates for a field, per dialect.
///
/// Without a native type attribute Prisma picks one type per scalar (PostgreSQL: `TEXT`,
/// `INTEGER`, `BIGINT`, `DOUBLE PRECISION`, `DECIMAL(65,30)`, `BOOLEAN`, `TIMESTAMP(3)`,
/// `JSONB`, `BYTEA`; SQLite: `TEXT`, `INTEGER`, `BIGINT`, `REAL`, `DECIMAL`, `BOOLEAN`,
/// `DATETIME`, `JSONB`, `BLOB`). `@db.X(args)` names the PostgreSQL type directly; SQLite has
/// no native types. Enums are PostgreSQL enum types and `TEXT` on SQLite.
enum ColumnTypes {
    static func type(of field: Field, _ context: LoweringContext) -> SQLColumnType {
        let isArray = field.type.isList && context.dialect == .postgres
        let base = baseType(of: field, context)
        return SQLColumnType(isArray ? base.text + "[]" : base.text, family: base.family, isArray: isArray)
    }

    private static func baseType(of field: Field, _ context: LoweringContext) -> (
        text: String, family: SQLColumnType.Family
    ) {
        switch context.lookup.resolve(field.type) {
        case .unsupported:
            return (field.type.unsupported ?? "", .unsupported)
        case .enum(let enumeration):
            switch context.dialect {
            case .postgres:
                let name = context.enumName(enumeration)
                return (name, .enum(name))
            case .sqlite:
                return ("TEXT", .string)
            }
        case .scalar(let scalar):
            let family = family(of: scalar)
            if context.dialect == .postgres, let native = nativeType(of: field, context) {
                return (native, family)
            }
            return (defaultType(of: scalar, context.dialect), family)
        case .model, .composite, nil:
            return ("", .unsupported)
        }
    }

    /// The text of `@db.X(args)`: `VARCHAR(255)`, `DECIMAL(10,2)`, `TIMESTAMPTZ(3)`.
    private static func nativeType(of field: Field, _ context: LoweringContext) -> String? {
        guard field.attributeKinds.contains(.dotted), let prefix = context.lookup.nativeTypePrefix,
            let attribute = field.attributes.firstInPlace(where: { $0.name.isNativeType(prefix: prefix) }),
            let name = postgresNames[String(attribute.name.dropFirst(prefix.count + 1))]
        else { return nil }
        guard let arguments = attribute.arguments, !arguments.isEmpty else { return name }
        // Built in one string: a quarter of the columns of a typical schema have a native type.
        var text = name
        text.append("(")
        for (index, argument) in arguments.enumerated() {
            if index > 0 { text.append(",") }
            text.append(argument.value.description)
        }
        text.append(")")
        return text
    }

    /// The type Prisma creates for `scalar` when the field names no native type.
    static func defaultType(of scalar: ScalarType, _ dialect: SQLDialect) -> String {
        switch (scalar, dialect) {
        case (.string, _): "TEXT"
        case (.int, _): "INTEGER"
        case (.bigInt, _): "BIGINT"
        case (.float, .postgres): "DOUBLE PRECISION"
        case (.float, .sqlite): "REAL"
        case (.decimal, .postgres): "DECIMAL(65,30)"
        case (.decimal, .sqlite): "DECIMAL"
        case (.boolean, _): "BOOLEAN"
        case (.dateTime, .postgres): "TIMESTAMP(3)"
        case (.dateTime, .sqlite): "DATETIME"
        case (.json, _): "JSONB"
        case (.bytes, .postgres): "BYTEA"
        case (.bytes, .sqlite): "BLOB"
        }
    }

    static func family(of scalar: ScalarType) -> SQLColumnType.Family {
        switch scalar {
        case .string: .string
        case .int: .int
        case .bigInt: .bigInt
        case .float: .float
        case .decimal: .decimal
        case .boolean: .boolean
        case .dateTime: .dateTime
        case .json: .json
        case .bytes: .bytes
        }
    }

    /// Prisma's PostgreSQL native type attributes and the SQL type each creates.
    static let postgresNames: [String: String] = [
        "Text": "TEXT", "Char": "CHAR", "VarChar": "VARCHAR", "Bit": "BIT", "VarBit": "VARBIT",
        "Uuid": "UUID", "Xml": "XML", "Inet": "INET", "Citext": "CITEXT", "Boolean": "BOOLEAN",
        "Integer": "INTEGER", "SmallInt": "SMALLINT", "Oid": "OID", "BigInt": "BIGINT",
        "DoublePrecision": "DOUBLE PRECISION", "Real": "REAL", "Decimal": "DECIMAL", "Money": "MONEY",
        "Timestamp": "TIMESTAMP", "Timestamptz": "TIMESTAMPTZ", "Date": "DATE", "Time": "TIME",
        "Timetz": "TIMETZ", "Json": "JSON", "JsonB": "JSONB", "ByteA": "BYTEA",
    ]
}
