import WenwexSQL

/// `@default(…)`, `@updatedAt` and `autoincrement()` as database defaults.
///
/// `now()` is `CURRENT_TIMESTAMP`; `dbgenerated("…")` is the expression as written; literals
/// and enum values (by their `@map`ped database spelling) are constants. Values the client
/// computes (`uuid()`, `cuid()`, `nanoid()`, `ulid()`, `@updatedAt`) create no database
/// default and are recorded as `.applicationGenerated`.
enum DefaultLowering {
    /// The column's default and whether the database numbers it (`autoincrement()`).
    static func lower(
        _ field: Field,
        table: String,
        column: String,
        _ context: LoweringContext
    ) -> (default: SQLDefault?, isAutoIncrement: Bool) {
        guard let value = field.attribute(.default)?.argument("value", position: 0)?.value else {
            return (field.has(.updatedAt) ? .applicationGenerated("@updatedAt") : nil, false)
        }
        if case .function(let name, _) = value.kind {
            switch name {
            case "autoincrement", "sequence":
                switch context.dialect {
                case .postgres: return (.sequence(ConstraintNames.sequence(table: table, column: column)), true)
                case .sqlite: return (nil, true)
                }
            case "now":
                return (.currentTimestamp, false)
            case "dbgenerated":
                // `dbgenerated()` without an expression means "some default Prisma does not manage".
                guard case .function(_, let arguments) = value.kind, let expression = arguments.first?.value.stringValue
                else { return (nil, false) }
                return (.expression(expression), false)
            default:
                return (.applicationGenerated(value.description), false)
            }
        }
        return (literal(value, field: field, context).map(SQLDefault.literal), false)
    }

    private static func literal(_ value: Expression, field: Field, _ context: LoweringContext) -> SQLLiteral? {
        switch value.kind {
        case .string(let text, _):
            return .string(text)
        case .number(let text):
            return .number(text)
        case .constant("true"):
            return .boolean(true)
        case .constant("false"):
            return .boolean(false)
        case .constant(let name):
            guard case .enum(let enumeration) = context.lookup.resolve(field.type) else { return .string(name) }
            let value = enumeration.enumValue(named: name)
            return .string(value.map(context.enumValueName) ?? name)
        case .array(let elements):
            return .array(elements.compactMap { literal($0, field: field, context) })
        case .function:
            return nil
        }
    }
}
