/// The `datasource` and `generator` blocks: one datasource, a provider Wenwex supports, and
/// settings of the right shape. A datasource without `url` is valid (Prisma 7 moved the URL to
/// its config file; Wenwex takes it from its own configuration).
enum DatasourceRules {
    static func check(_ context: inout ValidationContext) {
        let datasources = context.schema.datasources
        for extra in datasources.dropFirst() {
            context.error(
                "You defined more than one datasource. This is not allowed yet because support for multiple databases has not been implemented yet.",
                at: extra.name.range
            )
        }
        if let datasource = datasources.first {
            checkDatasource(datasource, &context)
        }
        for generator in context.schema.generators {
            checkDuplicateKeys(generator, &context)
            if generator.property("provider") == nil {
                context.error(
                    "Argument \"provider\" is missing in generator block \"\(generator.name.name)\".",
                    at: generator.name.range
                )
            }
        }
    }

    private static let knownProperties: Set<String> = [
        "provider", "url", "directUrl", "shadowDatabaseUrl", "relationMode", "referentialIntegrity", "schemas",
        "extensions",
    ]
    private static let urlProperties = ["url", "directUrl", "shadowDatabaseUrl"]

    private static func checkDatasource(_ datasource: Block, _ context: inout ValidationContext) {
        checkDuplicateKeys(datasource, &context)
        for property in datasource.properties {
            // `extensions` exists on PostgreSQL only.
            let isKnown =
                knownProperties.contains(property.name.name)
                && !(property.name.name == "extensions" && context.provider == .sqlite)
            if !isKnown {
                context.error("Property not known: \"\(property.name.name)\".", at: property.name.range)
            }
        }
        if let legacy = datasource.property("referentialIntegrity") {
            if datasource.property("relationMode") != nil {
                context.error(
                    "The `referentialIntegrity` and `relationMode` attributes cannot be used together. Please use only `relationMode` instead.",
                    at: legacy.name.range
                )
            } else {
                context.warning(
                    "The `referentialIntegrity` attribute is deprecated. Please use `relationMode` instead. Learn more at https://pris.ly/d/relation-mode",
                    at: legacy.name.range,
                    hint: "rename it to `relationMode`"
                )
                checkRelationMode(legacy, &context)
            }
        }
        if let extensions = datasource.property("extensions"), context.provider == .postgresql {
            ExtensionRules.check(extensions, &context)
        }
        checkDriverAdapters(datasource, &context)
        checkProvider(datasource, &context)
        for name in urlProperties {
            if let property = datasource.property(name) { checkURL(property, &context) }
        }
        if let relationMode = datasource.property("relationMode") {
            checkRelationMode(relationMode, &context)
        }
        if let schemas = datasource.property("schemas") {
            checkSchemas(schemas, &context)
        }
    }

    /// The rules of Prisma's driver-adapter preview features: with `driverAdapters` a SQLite
    /// datasource takes no `shadowDatabaseUrl`; with `schemaEngineDriverAdapters` PostgreSQL
    /// still needs `url`.
    private static func checkDriverAdapters(_ datasource: Block, _ context: inout ValidationContext) {
        if context.previewFeatures.contains("driverAdapters"), context.provider == .sqlite,
            let shadow = datasource.property("shadowDatabaseUrl")
        {
            context.error(
                "Argument \"shadowDatabaseUrl\" is deprecated in data source block \"\(datasource.name.name)\", because you're using Driver Adapters.",
                at: shadow.name.range,
                hint: "remove it: the driver adapter names the shadow database"
            )
        }
        if context.previewFeatures.contains("schemaEngineDriverAdapters"), context.provider == .postgresql,
            datasource.property("url") == nil
        {
            context.error(
                "Argument \"url\" is missing in data source block \"\(datasource.name.name)\".",
                at: datasource.name.range,
                hint: "add `url = env(\"DATABASE_URL\")`"
            )
        }
    }

    private static func checkDuplicateKeys(_ block: Block, _ context: inout ValidationContext) {
        var seen: Set<String> = []
        for property in block.properties where !seen.insert(property.name.name).inserted {
            context.error(
                "Key \"\(property.name.name)\" is already defined in \(block.kind.rawValue) \"\(block.name.name)\".",
                at: property.name.range
            )
        }
    }

    private static func checkProvider(_ datasource: Block, _ context: inout ValidationContext) {
        guard let property = datasource.property("provider") else {
            context.error(
                "Argument \"provider\" is missing in data source block \"\(datasource.name.name)\".",
                at: datasource.name.range,
                hint: "add `provider = \"postgresql\"` or `provider = \"sqlite\"`"
            )
            return
        }
        guard let provider = property.value.stringValue else {
            context.error("Expected a string value, but received \(property.value).", at: property.value.range)
            return
        }
        if Provider(named: provider) == nil {
            context.error(
                "Datasource provider not known: \"\(provider)\". Wenwex supports \"postgresql\" and \"sqlite\".",
                at: property.value.range,
                hint:
                    "use `provider = \"postgresql\"` (Supabase and other PostgreSQL services) or `provider = \"sqlite\"`"
            )
        }
    }

    private static func checkURL(_ property: ConfigProperty, _ context: inout ValidationContext) {
        switch property.value.kind {
        case .string:
            return
        case .function(name: "env", let arguments) where arguments.count == 1 && arguments[0].value.stringValue != nil:
            return
        default:
            context.error(
                "Expected a string or `env(\"VARIABLE\")` for `\(property.name.name)`, but received \(property.value).",
                at: property.value.range,
                hint: "for example `\(property.name.name) = env(\"DATABASE_URL\")`"
            )
        }
    }

    private static func checkRelationMode(_ property: ConfigProperty, _ context: inout ValidationContext) {
        let value = property.value.stringValue
        guard value != "prisma" && value != "foreignKeys" else { return }
        context.error(
            "Invalid relation mode setting: \(value.map { "\"\($0)\"" } ?? property.value.description). Supported values: \"prisma\", \"foreignKeys\".",
            at: property.value.range
        )
    }

    private static func checkSchemas(_ property: ConfigProperty, _ context: inout ValidationContext) {
        // One string stands for a one-element list (`schemas = "public"`), as Prisma coerces it.
        guard property.value.elements.allSatisfy({ $0.stringValue != nil }) else {
            context.error(
                "Expected a list of strings for `schemas`, for example `schemas = [\"public\", \"auth\"]`.",
                at: property.value.range
            )
            return
        }
        if context.provider == .sqlite {
            context.error("The `schemas` property is not supported on the current connector.", at: property.name.range)
        }
    }
}
