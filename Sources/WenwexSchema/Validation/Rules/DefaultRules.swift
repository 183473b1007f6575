/// `@default(…)` must fit its field: literals of the field's type, enum members, and the
/// generator functions on the types they produce (`autoincrement()` on Int/BigInt, `now()` on
/// DateTime, `uuid()`/`cuid()`/`nanoid()`/`ulid()` on String, `dbgenerated()` anywhere).
enum DefaultRules {
    /// The defaults of one block's fields.
    static func check(_ block: Block, _ context: inout ValidationContext) {
        guard block.hasFields else { return }
        for field in block.fields where field.has(.default) {
            for attribute in field.attributes where attribute.is(.default) {
                checkDefault(attribute, on: field, &context)
            }
        }
    }

    private static func checkDefault(_ attribute: Attribute, on field: Field, _ context: inout ValidationContext) {
        guard let value = attribute.argument("value", position: 0)?.value else {
            context.attributeError(attribute, "Argument \"value\" is missing.")
            return
        }
        if case .function(let name, let arguments) = value.kind, name == "dbgenerated" {
            checkDbGenerated(arguments, attribute, &context)
            return
        }
        switch context.resolve(field.type) {
        case .model:
            context.attributeError(attribute, "Cannot set a default value on the relation field `\(field.name.name)`.")
        case .unsupported:
            context.attributeError(attribute, "Only @default(dbgenerated(\"…\")) can be used for Unsupported types.")
        case .enum(let enumeration):
            forEachElement(of: value, list: field.type.isList, attribute, &context) { element, context in
                checkEnumValue(element, enumeration, attribute, &context)
            }
        case .scalar(let scalar):
            if case .function(let name, let arguments) = value.kind {
                checkFunction(name, arguments, on: field, scalar, attribute, &context)
                return
            }
            forEachElement(of: value, list: field.type.isList, attribute, &context) { element, context in
                if !accepts(scalar, element) {
                    context.attributeError(attribute, "Expected a \(scalar.rawValue) value, but found `\(element)`.")
                }
            }
        case .composite, nil:
            break
        }
    }

    private static func forEachElement(
        of value: Expression,
        list: Bool,
        _ attribute: Attribute,
        _ context: inout ValidationContext,
        _ body: (Expression, inout ValidationContext) -> Void
    ) {
        guard list else {
            body(value, &context)
            return
        }
        guard case .array(let elements) = value.kind else {
            context.attributeError(attribute, "The default value of a list field must be a list.")
            return
        }
        for element in elements { body(element, &context) }
    }

    /// Whether a literal suits a scalar type.
    private static func accepts(_ scalar: ScalarType, _ value: Expression) -> Bool {
        switch (scalar, value.kind) {
        case (.string, .string), (.dateTime, .string), (.json, .string), (.bytes, .string), (.decimal, .string):
            return true
        case (.int, .number(let text)), (.bigInt, .number(let text)):
            return Int64(text) != nil
        case (.float, .number(let text)), (.decimal, .number(let text)):
            return Double(text) != nil
        case (.boolean, .constant(let name)):
            return name == "true" || name == "false"
        default:
            return false
        }
    }

    private static func checkEnumValue(
        _ value: Expression,
        _ enumeration: Block,
        _ attribute: Attribute,
        _ context: inout ValidationContext
    ) {
        guard case .constant(let name) = value.kind else {
            context.attributeError(attribute, "Expected an enum value, but found `\(value)`.")
            return
        }
        if !enumeration.hasEnumValue(named: name) {
            context.attributeError(
                attribute,
                "The defined default value `\(name)` is not a valid value of the enum specified for the field.",
                hint: "\(enumeration.name.name) has \(enumeration.enumValues.map(\.name.name).joined(separator: ", "))"
            )
        }
    }

    /// The scalar types each generator function produces (a switch: it is asked for every
    /// `@default` with a function).
    private static func functionTypes(_ name: String) -> [ScalarType]? {
        switch name {
        case "autoincrement": [.int, .bigInt]
        case "now": [.dateTime]
        case "uuid", "cuid", "nanoid", "ulid": [.string]
        default: nil
        }
    }

    private static func checkFunction(
        _ name: String,
        _ arguments: [Argument],
        on field: Field,
        _ scalar: ScalarType,
        _ attribute: Attribute,
        _ context: inout ValidationContext
    ) {
        guard let types = functionTypes(name) else {
            let message =
                name == "sequence" || name == "auto"
                ? "The function `\(name)()` is not supported on the current connector: `sequence()` exists on CockroachDB and `auto()` on MongoDB."
                : "Unknown function in @default(): `\(name)` is not known. You can read about the available functions here: https://pris.ly/d/attribute-functions"
            context.attributeError(attribute, message)
            return
        }
        guard types.contains(scalar) else {
            context.attributeError(
                attribute,
                "The function `\(name)()` cannot be used on fields of type `\(scalar.rawValue)`."
            )
            return
        }
        checkFunctionArguments(name, arguments, attribute, &context)
        if name == "autoincrement", context.provider == .sqlite, !field.has(.id) {
            context.attributeError(
                attribute,
                "The `autoincrement()` default value is used on a non-id field even though the datasource does not support this.",
                hint: "SQLite only auto-increments the primary key"
            )
        }
    }

    /// The functions that take an argument, and its range.
    private static func argumentRange(_ name: String) -> ClosedRange<Int>? {
        switch name {
        case "uuid": 4...7
        case "cuid": 1...2
        case "nanoid": 2...255
        default: nil
        }
    }

    private static func checkFunctionArguments(
        _ name: String,
        _ arguments: [Argument],
        _ attribute: Attribute,
        _ context: inout ValidationContext
    ) {
        guard let range = argumentRange(name) else {
            if !arguments.isEmpty {
                context.attributeError(
                    attribute,
                    "The `\(name)` function does not take any argument. Consider changing this default to `\(name)()`."
                )
            }
            return
        }
        guard let argument = arguments.first else { return }
        let valid: Bool
        if arguments.count == 1, case .number(let text) = argument.value.kind, let number = Int(text) {
            valid = name == "uuid" ? number == 4 || number == 7 : range.contains(number)
        } else {
            valid = false
        }
        if !valid {
            let expected =
                switch name {
                case "uuid": "either 4 or 7"
                case "cuid": "either 1 or 2"
                default: "between 2 and 255"
                }
            context.attributeError(
                attribute,
                "`\(name)()` takes either no argument, or a single integer argument which is \(expected).",
                at: argument.range
            )
        }
    }

    private static func checkDbGenerated(
        _ arguments: [Argument],
        _ attribute: Attribute,
        _ context: inout ValidationContext
    ) {
        guard !arguments.isEmpty else { return }
        guard arguments.count == 1, let text = arguments[0].value.stringValue else {
            context.attributeError(attribute, "`dbgenerated()` takes a single String argument")
            return
        }
        if text.isEmpty {
            context.attributeError(
                attribute,
                "dbgenerated() takes either no argument, or a single nonempty string argument."
            )
        }
    }
}
