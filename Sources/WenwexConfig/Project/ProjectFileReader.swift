public import Foundation
import TOMLKit

/// Reads `wenwex.toml` into a `ProjectFile`, reporting every problem with `file:line:column`.
///
/// Unknown keys are errors, not ignored: a misspelt `requried_in` would otherwise silently make
/// a prod secret optional.
public enum ProjectFileReader {
    /// Reads `directory/wenwex.toml`, or returns the defaults when the file does not exist.
    public static func load(
        directory: URL,
        displayPath: (URL) -> String = { $0.path }
    ) throws(ConfigurationError) -> ProjectFile {
        let url = directory.appendingPathComponent(ProjectFile.fileName)
        let defaultName = directory.standardizedFileURL.lastPathComponent
        guard FileManager.default.fileExists(atPath: url.path) else {
            return ProjectFile(projectName: defaultName)
        }
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8)
        else {
            throw ConfigurationError([
                ConfigurationProblem(
                    subject: displayPath(url),
                    location: nil,
                    message: "cannot be read as UTF-8 text",
                    hint: "check the file's permissions and encoding"
                )
            ])
        }
        var project = try parse(text, label: displayPath(url), defaultName: defaultName)
        project.location = url
        return project
    }

    /// Parses project file text; `label` names the file in problems.
    public static func parse(_ text: String, label: String, defaultName: String) throws(ConfigurationError)
        -> ProjectFile
    {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError([
                ConfigurationProblem(
                    subject: "\(label):\(error.source.begin.line):\(error.source.begin.column)",
                    location: nil,
                    message: "invalid TOML: \(error.description)",
                    hint: "see https://toml.io for the syntax"
                )
            ])
        } catch {
            throw ConfigurationError([
                ConfigurationProblem(subject: label, location: nil, message: "invalid TOML: \(error)")
            ])
        }
        var reader = TableReader(label: label, sourceMap: TOMLSourceMap(text))
        let project = reader.readProject(table, defaultName: defaultName)
        if !reader.problems.isEmpty { throw ConfigurationError(reader.problems) }
        return project
    }
}

/// Walks the TOML tables, collecting problems instead of stopping at the first.
private struct TableReader {
    let label: String
    let sourceMap: TOMLSourceMap
    var problems: [ConfigurationProblem] = []

    init(label: String, sourceMap: TOMLSourceMap) {
        self.label = label
        self.sourceMap = sourceMap
    }

    mutating func readProject(_ root: TOMLTable, defaultName: String) -> ProjectFile {
        checkKeys(
            root,
            path: [],
            allowed: ["project", "database", "schema", "environments", "variables", "sanitize", "access"]
        )
        var project = ProjectFile(projectName: defaultName)
        if let table = self.table(root, "project", path: []) {
            checkKeys(table, path: ["project"], allowed: ["name"])
            project.projectName = string(table, "name", path: ["project"]) ?? defaultName
        }
        if let table = self.table(root, "database", path: []) {
            let path = ["database"]
            checkKeys(table, path: path, allowed: ["url_variable", "replica_urls_variable", "dev_default_url"])
            project.database.urlVariable = string(table, "url_variable", path: path) ?? project.database.urlVariable
            project.database.replicaURLsVariable =
                string(table, "replica_urls_variable", path: path) ?? project.database.replicaURLsVariable
            project.database.devDefaultURL =
                string(table, "dev_default_url", path: path) ?? project.database.devDefaultURL
        }
        if let table = self.table(root, "schema", path: []) {
            let path = ["schema"]
            checkKeys(table, path: path, allowed: ["path", "migrations", "sqlite_migrations", "seed"])
            project.schemaSettings.path = string(table, "path", path: path)
            project.schemaSettings.migrations = string(table, "migrations", path: path)
            project.schemaSettings.sqliteMigrations = string(table, "sqlite_migrations", path: path)
            project.schemaSettings.seed = string(table, "seed", path: path)
        }
        if let table = self.table(root, "environments", path: []) {
            let environments = table.keys.sorted().compactMap { name in
                self.table(table, name, path: ["environments"]).map { readEnvironment(name: name, $0) }
            }
            if !environments.isEmpty { project.environments = environments }
        }
        if let table = self.table(root, "sanitize", path: []) {
            for name in table.keys.sorted() {
                guard let columns = self.table(table, name, path: ["sanitize"]) else { continue }
                for column in columns.keys.sorted() {
                    if let rule = string(columns, column, path: ["sanitize", name]) {
                        project.sanitize[name, default: [:]][column] = rule
                    }
                }
            }
        }
        if let table = self.table(root, "access", path: []) {
            project.access = readAccess(table)
        }
        if let table = self.table(root, "variables", path: []) {
            for name in table.keys.sorted() {
                if let spec = self.table(table, name, path: ["variables"]).flatMap({ readVariable(name: name, $0) }) {
                    project.schema.add(spec)
                }
            }
        }
        return project
    }

    // MARK: Access

    private mutating func readAccess(_ table: TOMLTable) -> AccessPolicySettings {
        checkKeys(table, path: ["access"], allowed: ["groups", "environments", "pgaudit"])
        // A section that only turns on statement logging keeps the guide's layout.
        var policy =
            table["groups"] != nil || table["environments"] != nil
            ? AccessPolicySettings(groups: [:], environments: [:]) : .guide
        if let classes = strings(table, "pgaudit", path: ["access"]) {
            for name in classes
            where !AccessPolicySettings.statementClasses.contains(String(name.lowercased().trimmingPrefix("-"))) {
                report(
                    ["access", "pgaudit"],
                    "'\(name)' is not a pgAudit statement class",
                    hint:
                        "use \(AccessPolicySettings.statementClasses.sorted().joined(separator: ", ")), each optionally with a leading -"
                )
            }
            policy.statementLogging = classes.map { $0.lowercased() }
        }
        if let groups = self.table(table, "groups", path: ["access"]) {
            for name in groups.keys.sorted() {
                guard let members = strings(groups, name, path: ["access", "groups"]) else { continue }
                for member in members where !member.contains("@") {
                    report(
                        ["access", "groups", name],
                        "'\(member)' is not an email",
                        hint: "list people by their email"
                    )
                }
                policy.groups[name] = members
            }
        }
        if let environments = self.table(table, "environments", path: ["access"]) {
            for environment in environments.keys.sorted() {
                let path = ["access", "environments", environment]
                guard let grants = self.table(environments, environment, path: ["access", "environments"]) else {
                    continue
                }
                for group in grants.keys.sorted() {
                    guard let permissions = strings(grants, group, path: path) else { continue }
                    if policy.groups[group] == nil {
                        report(
                            path + [group],
                            "group '\(group)' is not in [access.groups]",
                            hint: "declare it there, or fix the name"
                        )
                    }
                    for permission in permissions where !AccessPolicySettings.permissions.contains(permission) {
                        report(
                            path + [group],
                            "'\(permission)' is not a permission",
                            hint: "use \(AccessPolicySettings.permissions.sorted().joined(separator: ", "))"
                        )
                    }
                    policy.environments[environment, default: [:]][group] = permissions
                }
            }
        }
        return policy
    }

    // MARK: Environments

    private mutating func readEnvironment(name: String, _ table: TOMLTable) -> EnvironmentDefinition {
        let path = ["environments", name]
        checkKeys(table, path: path, allowed: ["tier", "values", "fingerprint"])
        var tier = Tier(alias: name)
        if let text = string(table, "tier", path: path) {
            tier = Tier(alias: text)
            if tier == nil {
                report(path + ["tier"], "unknown tier '\(text)'", hint: "use \(Tier.acceptedAliases)")
            }
        } else if tier == nil {
            report(path, "environment '\(name)' needs a tier", hint: "add tier = \"dev\", \"staging\" or \"prod\"")
        }
        var definition = EnvironmentDefinition(name: name, tier: tier ?? .dev)
        if let values = self.table(table, "values", path: path) {
            for key in values.keys.sorted() {
                if let value = scalarText(values[key], path: path + ["values", key]) {
                    definition.values[key] = value
                }
            }
        }
        if let fingerprint = self.table(table, "fingerprint", path: path) {
            let fingerprintPath = path + ["fingerprint"]
            checkKeys(
                fingerprint,
                path: fingerprintPath,
                allowed: ["database_hosts", "project_refs", "key_prefixes", "storage_buckets", "storage_endpoints"]
            )
            definition.fingerprint.databaseHosts = strings(fingerprint, "database_hosts", path: fingerprintPath) ?? []
            definition.fingerprint.projectRefs = strings(fingerprint, "project_refs", path: fingerprintPath) ?? []
            definition.fingerprint.storageBuckets = strings(fingerprint, "storage_buckets", path: fingerprintPath) ?? []
            definition.fingerprint.storageEndpoints =
                strings(fingerprint, "storage_endpoints", path: fingerprintPath) ?? []
            if let prefixes = self.table(fingerprint, "key_prefixes", path: fingerprintPath) {
                for key in prefixes.keys.sorted() {
                    definition.fingerprint.keyPrefixes[key] = string(
                        prefixes,
                        key,
                        path: fingerprintPath + ["key_prefixes"]
                    )
                }
            }
        }
        return definition
    }

    // MARK: Variables

    private static let variableKeys: Set<String> = [
        "type", "description", "required", "required_in", "default", "secret", "min", "max", "min_length",
        "max_length", "pattern", "schemes", "values", "of", "separator",
    ]

    private mutating func readVariable(name: String, _ table: TOMLTable) -> VariableSpec? {
        let path = ["variables", name]
        checkKeys(table, path: path, allowed: Self.variableKeys)
        guard let keyword = string(table, "type", path: path) else {
            if table["type"] == nil {
                report(path, "variable \(name) has no type", hint: "add type = \"string\" (or \(Self.typeKeywords))")
            }
            return nil
        }
        let type: VariableType?
        if keyword == "list" {
            let element = string(table, "of", path: path) ?? "string"
            type = variableType(element, table, path: path).map {
                .list(of: $0, separator: string(table, "separator", path: path) ?? ",")
            }
        } else {
            type = variableType(keyword, table, path: path)
        }
        guard let type else { return nil }
        var requiredIn: Set<Tier> = []
        for text in strings(table, "required_in", path: path) ?? [] {
            if let tier = Tier(alias: text) {
                requiredIn.insert(tier)
            } else {
                report(path + ["required_in"], "unknown tier '\(text)'", hint: "use \(Tier.acceptedAliases)")
            }
        }
        return VariableSpec(
            name,
            type,
            description: string(table, "description", path: path),
            required: bool(table, "required", path: path),
            requiredIn: requiredIn,
            default: table["default"].flatMap { scalarText($0, path: path + ["default"]) },
            secret: bool(table, "secret", path: path) ?? SecretMasker.isSecretName(name)
        )
    }

    private static let typeKeywords = "string, int, bool, url, enum, duration, port, list, secret"

    private mutating func variableType(_ keyword: String, _ table: TOMLTable, path: [String]) -> VariableType? {
        switch keyword {
        case "string":
            return .string(
                minLength: int(table, "min_length", path: path),
                maxLength: int(table, "max_length", path: path),
                pattern: string(table, "pattern", path: path)
            )
        case "int": return .int(min: int(table, "min", path: path), max: int(table, "max", path: path))
        case "bool": return .bool
        case "url": return .url(schemes: strings(table, "schemes", path: path) ?? [])
        case "enum":
            guard let values = strings(table, "values", path: path), !values.isEmpty else {
                report(path, "an enum needs its values", hint: "add values = [\"a\", \"b\"]")
                return nil
            }
            return .enumeration(values)
        case "duration":
            return .duration(min: duration(table, "min", path: path), max: duration(table, "max", path: path))
        case "port": return .port
        case "secret": return .secret(minLength: int(table, "min_length", path: path))
        default:
            report(path + ["type"], "unknown type '\(keyword)'", hint: "use one of \(Self.typeKeywords)")
            return nil
        }
    }

    // MARK: Typed access

    private mutating func table(_ parent: TOMLTable, _ key: String, path: [String]) -> TOMLTable? {
        guard let value = parent[key] else { return nil }
        guard let table = value.table else {
            report(path + [key], "'\(key)' must be a table", hint: "write [\((path + [key]).joined(separator: "."))]")
            return nil
        }
        return table
    }

    private mutating func string(_ parent: TOMLTable, _ key: String, path: [String]) -> String? {
        guard let value = parent[key] else { return nil }
        guard let text = value.string else {
            report(path + [key], "'\(key)' must be a string", hint: "quote the value")
            return nil
        }
        return text
    }

    private mutating func strings(_ parent: TOMLTable, _ key: String, path: [String]) -> [String]? {
        guard let value = parent[key] else { return nil }
        guard let array = value.array, array.allSatisfy({ $0.string != nil }) else {
            report(path + [key], "'\(key)' must be a list of strings", hint: "write \(key) = [\"a\", \"b\"]")
            return nil
        }
        return array.compactMap(\.string)
    }

    private mutating func int(_ parent: TOMLTable, _ key: String, path: [String]) -> Int? {
        guard let value = parent[key] else { return nil }
        guard let number = value.int else {
            report(path + [key], "'\(key)' must be an integer", hint: "write \(key) = 10")
            return nil
        }
        return number
    }

    private mutating func bool(_ parent: TOMLTable, _ key: String, path: [String]) -> Bool? {
        guard let value = parent[key] else { return nil }
        guard let flag = value.bool else {
            report(path + [key], "'\(key)' must be true or false", hint: "write \(key) = true")
            return nil
        }
        return flag
    }

    private mutating func duration(_ parent: TOMLTable, _ key: String, path: [String]) -> Duration? {
        guard let text = string(parent, key, path: path) else { return nil }
        guard let duration = DurationFormat.parse(text) else {
            report(path + [key], "'\(text)' is not a duration", hint: "write \(key) = \"30s\" (ms, s, m, h, d)")
            return nil
        }
        return duration
    }

    /// A scalar (or a list of scalars) as the text an environment variable would hold.
    private mutating func scalarText(_ value: (any TOMLValueConvertible)?, path: [String]) -> String? {
        guard let value else { return nil }
        if let text = value.string { return text }
        if let number = value.int { return String(number) }
        if let flag = value.bool { return String(flag) }
        if let number = value.double { return String(number) }
        if let array = value.array {
            let items = array.map { scalarText($0, path: path) }
            return items.contains(where: { $0 == nil }) ? nil : items.compactMap { $0 }.joined(separator: ",")
        }
        report(path, "must be a string, number, boolean or list", hint: "quote the value")
        return nil
    }

    private mutating func checkKeys(_ table: TOMLTable, path: [String], allowed: Set<String>) {
        for key in table.keys.sorted() where !allowed.contains(key) {
            let scope = path.isEmpty ? "the top level" : "[\(path.joined(separator: "."))]"
            report(
                path + [key],
                "unknown key '\(key)' in \(scope)",
                hint: "allowed: \(allowed.sorted().joined(separator: ", "))"
            )
        }
    }

    private mutating func report(_ path: [String], _ message: String, hint: String) {
        let position = sourceMap.position(of: path)
        let location = position.map { "\(label):\($0.line):\($0.column)" } ?? label
        problems.append(ConfigurationProblem(subject: location, location: nil, message: message, hint: hint))
    }
}
