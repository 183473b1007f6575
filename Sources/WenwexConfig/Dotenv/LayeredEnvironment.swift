public import Foundation

/// A variable's winning value and where it came from.
public struct ResolvedVariable: Sendable, Hashable {
    /// The variable's name, case-sensitive.
    public var name: String
    /// The winning text after `${…}` expansion; an empty value is set, not unset.
    public var value: String
    /// Where the winning assignment was written, so a message can send the reader there.
    public var source: ValueSource

    /// Creates a resolved variable (``WenwexConfiguration/rawValue(_:)`` makes one for a schema default).
    public init(name: String, value: String, source: ValueSource) {
        self.name = name
        self.value = value
        self.source = source
    }
}

/// One precedence layer after expansion: what swift-configuration receives as one provider.
public struct EnvironmentLayer: Sendable {
    /// `process environment`, `.env.prod.local`, …: the provider's name in access logs.
    public var label: String
    /// This layer's own assignments, expanded against all layers; names it does not set are absent.
    public var variables: [String: String]
}

/// The process environment, the dotenv files and the project file's values, merged by
/// precedence (highest first):
///
/// 1. the process environment
/// 2. `.env.<environment>.local`
/// 3. `.env.local`
/// 4. `.env.<environment>`
/// 5. `.env`
/// 6. `[environments.<environment>.values]` in `wenwex.toml`
///
/// `${NAME}` references are expanded after all layers are read, so `.env` may refer to a value
/// that `.env.local` overrides. A variable that refers to itself (`PATH=$PATH:/opt/bin`) sees
/// the value of the next lower layer.
public struct LayeredEnvironment: Sendable {
    /// Winning values by name, including every process environment variable.
    public var variables: [String: ResolvedVariable]
    /// Each layer with its expanded values, highest precedence first.
    public var layers: [EnvironmentLayer]
    /// Names set by a dotenv file or the project file (not only by the process).
    public var fileDefinedNames: Set<String>
    /// Dotenv files that exist and were read, highest precedence first.
    public var loadedFiles: [String]
    /// Things worth fixing that do not stop loading (an undefined reference, an ignored file).
    public var warnings: [ConfigurationProblem]

    /// Dotenv file names for an environment, highest precedence first.
    public static func dotenvFileNames(environment: String) -> [String] {
        [".env.\(environment).local", ".env.local", ".env.\(environment)", ".env"]
    }

    /// Reads the layers for `environment` from `directory`; all syntax errors of all files are
    /// reported together.
    public static func load(
        directory: URL,
        environment: EnvironmentDefinition,
        processEnvironment: [String: String],
        projectFileLabel: String,
        displayPath: (URL) -> String = { $0.path }
    ) throws(ConfigurationError) -> LayeredEnvironment {
        var definitions: [(label: String, entries: [Definition])] = []
        definitions.append(
            (
                "process environment",
                processEnvironment.map {
                    Definition(name: $0.key, value: DotenvValue(literal: $0.value), source: .processEnvironment)
                }
            )
        )
        var problems: [ConfigurationProblem] = []
        var warnings: [ConfigurationProblem] = []
        var loadedFiles: [String] = []
        for fileName in dotenvFileNames(environment: environment.name) {
            let url = directory.appendingPathComponent(fileName)
            let label = displayPath(url)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            do {
                let text = try readText(url, label: label)
                let entries = try DotenvParser.parse(text, path: label)
                loadedFiles.append(label)
                definitions.append(
                    (
                        label,
                        entries.map {
                            Definition(name: $0.name, value: $0.value, source: .dotenv(path: label, line: $0.line))
                        }
                    )
                )
            } catch {
                problems += error.problems
            }
        }
        definitions.append(
            (
                "\(projectFileLabel) [environments.\(environment.name).values]",
                environment.values.map {
                    Definition(
                        name: $0.key,
                        value: DotenvValue(literal: $0.value),
                        source: .projectFile(path: projectFileLabel, environment: environment.name)
                    )
                }
            )
        )
        warnings += ignoredAliasFiles(directory: directory, environment: environment, displayPath: displayPath)
        if !problems.isEmpty { throw ConfigurationError(problems) }

        var expander = Expander(layers: definitions.map(\.entries))
        let layers = definitions.enumerated().map { level, layer in
            EnvironmentLayer(
                label: layer.label,
                variables: Dictionary(
                    layer.entries.map { ($0.name, expander.value(of: $0.name, from: level) ?? "") },
                    uniquingKeysWith: { _, last in last }
                )
            )
        }
        var variables: [String: ResolvedVariable] = [:]
        for (level, layer) in definitions.enumerated().reversed() {
            for entry in layer.entries {
                variables[entry.name] = ResolvedVariable(
                    name: entry.name,
                    value: layers[level].variables[entry.name] ?? "",
                    source: entry.source
                )
            }
        }
        if !expander.problems.isEmpty { throw ConfigurationError(expander.problems + warnings) }
        return LayeredEnvironment(
            variables: variables,
            layers: layers,
            fileDefinedNames: Set(definitions.dropFirst().flatMap { $0.entries.map(\.name) }),
            loadedFiles: loadedFiles,
            warnings: warnings + expander.warnings
        )
    }

    private static func readText(_ url: URL, label: String) throws(ConfigurationError) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigurationError([
                ConfigurationProblem(
                    subject: label,
                    location: nil,
                    message: "cannot read the file",
                    hint: "check its permissions"
                )
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError([
                ConfigurationProblem(
                    subject: label,
                    location: nil,
                    message: "the file is not valid UTF-8",
                    hint: "save it as UTF-8"
                )
            ])
        }
        return text
    }

    /// Warns about `.env.production` and friends: teams coming from Next.js or Rails name files
    /// after the long tier name, and a file that is silently skipped is a misconfiguration.
    private static func ignoredAliasFiles(
        directory: URL,
        environment: EnvironmentDefinition,
        displayPath: (URL) -> String
    ) -> [ConfigurationProblem] {
        let aliases = ["development", "production", "staging", "stage", "dev", "prod"]
        return aliases.compactMap { alias in
            guard alias != environment.name, Tier(alias: alias) == environment.tier else { return nil }
            let url = directory.appendingPathComponent(".env.\(alias)")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            return ConfigurationProblem(
                severity: .warning,
                subject: displayPath(url),
                location: nil,
                message: "is not loaded: the environment is named '\(environment.name)'",
                hint: "rename it to .env.\(environment.name)"
            )
        }
    }
}

/// One assignment of a name in one layer.
private struct Definition {
    var name: String
    var value: DotenvValue
    var source: ValueSource
}

/// Expands references across layers, memoising results and reporting cycles and undefined names.
private struct Expander {
    private struct Key: Hashable {
        var name: String
        var level: Int
    }

    private let layers: [[String: Definition]]
    private var memo: [Key: String?] = [:]
    private var visiting: Set<Key> = []
    private(set) var problems: [ConfigurationProblem] = []
    private(set) var warnings: [ConfigurationProblem] = []
    private var reported: Set<String> = []

    init(layers: [[Definition]]) {
        self.layers = layers.map { entries in
            Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        }
    }

    /// The expanded value of `name` as defined at `level` or any lower-precedence layer.
    mutating func value(of name: String, from level: Int) -> String? {
        guard let found = (level..<layers.count).first(where: { layers[$0][name] != nil }) else {
            return nil
        }
        let key = Key(name: name, level: found)
        if let cached = memo[key] { return cached }
        let definition = layers[found][name]!
        if visiting.contains(key) {
            report(
                "cycle:\(name)",
                ConfigurationProblem(
                    subject: name,
                    source: definition.source,
                    message: "refers to itself through ${…} references",
                    hint: "break the cycle between the variables that refer to each other"
                ),
                isError: true
            )
            return ""
        }
        visiting.insert(key)
        let expanded = definition.value.expanded { reference in
            let value = reference == name ? self.value(of: name, from: found + 1) : self.value(of: reference, from: 0)
            if value == nil, !definition.value.hasFallback(for: reference) {
                report(
                    "undefined:\(name):\(reference)",
                    ConfigurationProblem(
                        severity: .warning,
                        subject: name,
                        source: definition.source,
                        message: "refers to ${\(reference)}, which is not set, so it expands to an empty string",
                        hint: "set \(reference), or write ${\(reference):-fallback}"
                    ),
                    isError: false
                )
            }
            return value
        }
        visiting.remove(key)
        memo[key] = expanded
        return expanded
    }

    private mutating func report(_ id: String, _ problem: ConfigurationProblem, isError: Bool) {
        guard reported.insert(id).inserted else { return }
        if isError { problems.append(problem) } else { warnings.append(problem) }
    }
}

extension DotenvValue {
    fileprivate func hasFallback(for name: String) -> Bool {
        segments.contains {
            if case .reference(name, .some) = $0 { true } else { false }
        }
    }
}
