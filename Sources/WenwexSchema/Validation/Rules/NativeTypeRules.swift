/// Native type attributes (`@db.VarChar(255)`) must exist on the provider, suit the field's
/// scalar type, and take numeric arguments within their arity.
enum NativeTypeRules {
    /// The native types of one block's fields.
    static func check(_ block: Block, _ context: inout ValidationContext) {
        guard block.hasFields, let prefix = context.nativeTypePrefix, let provider = context.provider else { return }
        // Only a field with a dotted attribute name can carry a native type.
        for field in block.fields where field.attributeKinds.contains(.dotted) {
            for attribute in field.attributes where attribute.name.isNativeType(prefix: prefix) {
                let name = String(attribute.name.dropFirst(prefix.count + 1))
                checkNativeType(name, attribute, on: field, provider, &context)
            }
        }
    }

    private static func checkNativeType(
        _ name: String,
        _ attribute: Attribute,
        on field: Field,
        _ provider: Provider,
        _ context: inout ValidationContext
    ) {
        let catalog = NativeTypeCatalog.types(for: provider)
        guard let native = catalog[name] else {
            let hint: String? =
                provider == .sqlite
                ? "SQLite has no native types: remove \(attribute.displayName)"
                : catalog.keys.filter { editDistance($0.lowercased(), name.lowercased()) <= 2 }.sorted().first.map {
                    "did you mean @\(context.nativeTypePrefix ?? "db").\($0)?"
                }
            context.error(
                "Native type \(name) is not supported for \(provider.rawValue) connector.",
                at: attribute.range,
                hint: hint
            )
            return
        }
        guard field.type.name == native.scalar.rawValue else {
            context.error(
                "Native type \(name) is not compatible with declared field type \(field.type.name), expected field type \(native.scalar.rawValue).",
                at: attribute.range
            )
            return
        }
        let arguments = attribute.arguments ?? []
        if arguments.count > native.maximumArguments {
            context.error(
                "Native type \(name) takes \(native.maximumArguments == 0 ? "no" : "at most \(native.maximumArguments)") argument\(native.maximumArguments == 1 ? "" : "s"), but received \(arguments.count).",
                at: attribute.range
            )
            return
        }
        for argument in arguments {
            guard case .number(let text) = argument.value.kind, let number = Int(text), number >= 0 else {
                context.error(
                    "Expected a non-negative integer argument for native type \(name), but received \(argument.value).",
                    at: argument.range
                )
                continue
            }
        }
    }
}
