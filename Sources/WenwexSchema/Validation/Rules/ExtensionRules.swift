/// The datasource's `extensions = [citext, pg_trgm(schema: "search", version: "1.6", map: "…")]`
/// (PostgreSQL, with the `postgresqlExtensions` preview feature, as in Prisma): each element an
/// extension name or a call with named string arguments.
enum ExtensionRules {
    static let previewFeatures: Set<String> = ["postgresqlExtensions", "postgresExtensions"]
    private static let arguments: Set<String> = ["schema", "version", "map"]

    static func check(_ property: ConfigProperty, _ context: inout ValidationContext) {
        guard !context.previewFeatures.isDisjoint(with: previewFeatures) else {
            context.error(
                "The `extensions` property is only available with the `postgresqlExtensions` preview feature.",
                at: property.name.range,
                hint: "add `previewFeatures = [\"postgresqlExtensions\"]` to the generator"
            )
            return
        }
        // One extension stands for a list of one (`extensions = citext`), as Prisma coerces it.
        for element in property.value.elements {
            switch element.kind {
            case .constant(let name):
                checkName(name, element, &context)
            case .function(let name, let arguments):
                checkName(name, element, &context)
                checkArguments(arguments, &context)
            case .number(let text):
                context.error(
                    "Expected a constant or function value, but received numeric value `\(text)`.",
                    at: element.range
                )
            case .string(_, let raw):
                context.error(
                    "Expected a constant or function value, but received string value `\(raw)`.",
                    at: element.range,
                    hint: "write the extension's name without quotes, or map it: `uuid_ossp(map: \"uuid-ossp\")`"
                )
            case .array:
                context.error("Expected a constant or function value, but received a list.", at: element.range)
            }
        }
    }

    private static func checkName(_ name: String, _ element: Expression, _ context: inout ValidationContext) {
        guard name.contains("-") else { return }
        context.error(
            "Error validating: The character `-` is not allowed in extension names.",
            at: element.range,
            hint: "name it with `_` and map it: `\(name.replacingOccurrences(of: "-", with: "_"))(map: \"\(name)\")`"
        )
    }

    private static func checkArguments(_ given: [Argument], _ context: inout ValidationContext) {
        var seen: Set<String> = []
        for argument in given {
            guard let name = argument.name?.name else {
                context.error(
                    "Error validating: The argument must have a name",
                    at: argument.range,
                    hint: "name it: `version: \(argument.value)`"
                )
                continue
            }
            guard arguments.contains(name) else {
                context.error(
                    "Argument not known: \"\(name)\".",
                    at: argument.range,
                    hint: "use schema, version or map"
                )
                continue
            }
            if !seen.insert(name).inserted {
                context.error("Error validating: The argument `\(name)` can only be defined once", at: argument.range)
            }
            if argument.value.stringValue == nil {
                context.error(
                    "Expected a string value, but received \(argument.value). Error validating: The `\(name)` argument must be a string literal",
                    at: argument.value.range
                )
            }
        }
    }
}
