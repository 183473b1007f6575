public import Configuration
public import Foundation

/// A project's configuration for one environment, loaded, merged and validated.
///
/// Load it once at start-up; it either holds a complete, valid configuration or throws a
/// `ConfigurationError` listing every problem (invalid values, missing requirements, credentials
/// that carry another environment's fingerprint). A server then reads values through
/// `configReader()`, the swift-configuration reader Hummingbird already uses, or through the
/// typed accessors.
///
/// ```swift
/// let configuration = try WenwexConfiguration.load()
/// let reader = configuration.configReader()
/// let port = reader.int(forKey: "port", default: 8080)
/// ```
public struct WenwexConfiguration: Sendable {
    /// What to load, and from where.
    public struct Options: Sendable {
        /// The directory that holds `wenwex.toml` and the dotenv files; relative SQLite paths resolve
        /// against it. Defaults to the current directory, without searching upwards (for that, see
        /// ``ProjectFile/projectDirectory(searchingUpFrom:)``).
        public var projectDirectory: URL
        /// `--env`; when `nil`, `WENWEX_ENV` from `processEnvironment`, then `dev`.
        public var environmentName: String?
        /// The highest-precedence layer, and where `WENWEX_ENV` is read when ``environmentName`` is `nil`.
        /// Defaults to this process's environment; tests pass a dictionary instead.
        public var processEnvironment: [String: String]
        /// Variables the application declares in code, merged over the project file's schema.
        public var schema: VariableSchema
        /// File paths in messages are shown relative to this directory.
        public var workingDirectory: URL

        /// Creates options; each default reads from the running process (its current directory and
        /// environment). Both directories are standardized.
        public init(
            projectDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            environmentName: String? = nil,
            processEnvironment: [String: String] = ProcessInfo.processInfo.environment,
            schema: VariableSchema = .init(),
            workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        ) {
            self.projectDirectory = projectDirectory.standardizedFileURL
            self.environmentName = environmentName
            self.processEnvironment = processEnvironment
            self.schema = schema
            self.workingDirectory = workingDirectory.standardizedFileURL
        }
    }

    /// The directory the configuration was loaded from (``Options/projectDirectory``, standardized).
    public var projectDirectory: URL
    /// The parsed `wenwex.toml`, or the defaults when the project has none.
    public var project: ProjectFile
    /// The environment chosen by ``Options/environmentName`` or `WENWEX_ENV` (`dev` when neither is
    /// set); its tier decides which safety rules apply.
    public var environment: EnvironmentDefinition
    /// Every environment variable layer, before typing.
    public var layers: LayeredEnvironment
    /// The schema that was checked (project file plus code).
    public var schema: VariableSchema
    /// Typed values of the declared variables that are set or defaulted.
    public var values: [String: TypedValue]
    /// The primary and replica URLs read from the project's database variables; in dev an unset primary
    /// is the SQLite file of ``DatabaseSettings/devDefaultURL``. These variables never appear in
    /// ``values``, even when the schema declares them.
    public var databases: DatabaseEndpoints
    /// Problems that did not stop loading.
    public var warnings: [ConfigurationProblem]

    /// Who this process's databases must belong to.
    public var owner: DatabaseOwner {
        DatabaseOwner(project: project.projectName, environment: environment)
    }

    /// Loads and validates; throws every problem found at once.
    public static func load(_ options: Options = .init()) throws(ConfigurationError) -> WenwexConfiguration {
        let display = DisplayPath(base: options.workingDirectory)
        let project = try ProjectFileReader.load(
            directory: options.projectDirectory,
            displayPath: display.callAsFunction
        )
        let environment = try EnvironmentSelection.select(
            requested: options.environmentName ?? options.processEnvironment[EnvironmentSelection.variable],
            from: project.environments
        )
        let layers = try LayeredEnvironment.load(
            directory: options.projectDirectory,
            environment: environment,
            processEnvironment: options.processEnvironment,
            projectFileLabel: display(options.projectDirectory.appendingPathComponent(ProjectFile.fileName)),
            displayPath: display.callAsFunction
        )
        let schema = project.schema.merging(options.schema)
        let databaseVariables: Set = [project.database.urlVariable, project.database.replicaURLsVariable]
        let (values, schemaProblems) = VariableSchema(schema.variables.filter { !databaseVariables.contains($0.name) })
            .validate(layers.variables, tier: environment.tier)
        let (databases, databaseProblems) = DatabaseEndpoints.resolve(
            settings: project.database,
            variables: layers.variables,
            tier: environment.tier,
            projectDirectory: options.projectDirectory
        )
        var problems = schemaProblems + databaseProblems
        if let databases {
            problems += FingerprintCheck.problems(
                current: environment,
                all: project.environments,
                databases: databases.all.map { .init(variable: $0.variable, url: $0.url, source: $0.source) },
                variables: layers.variables
            )
        }
        guard problems.isEmpty, let databases else {
            throw ConfigurationError(problems + layers.warnings)
        }
        return WenwexConfiguration(
            projectDirectory: options.projectDirectory,
            project: project,
            environment: environment,
            layers: layers,
            schema: schema,
            values: values,
            databases: databases,
            warnings: layers.warnings
        )
    }

    // MARK: Reading values

    /// Whether `name`'s value must be masked: declared secret, or named like a secret.
    public func isSecret(_ name: String) -> Bool {
        schema[name]?.isSecret ?? SecretMasker.isSecretName(name)
    }

    /// The winning text of `name`, including schema defaults.
    public func rawValue(_ name: String) -> ResolvedVariable? {
        layers.variables[name]
            ?? schema[name]?.defaultValue.map { ResolvedVariable(name: name, value: $0, source: .schemaDefault) }
    }

    /// A configuration error about the variable `name` that says where its value was set, so
    /// the user knows which file or environment to fix.
    public func problem(_ name: String, message: String, hint: String) -> ConfigurationError {
        ConfigurationError([
            ConfigurationProblem(
                subject: name,
                location: rawValue(name).map { "\($0.source)" },
                message: message,
                hint: hint
            )
        ])
    }

    /// The value of a declared `string`, `url`, `enum` or `secret` variable; `nil` when the variable is
    /// undeclared, unset without a default, or of another type. Secrets come back unmasked.
    public func string(_ name: String) -> String? {
        switch values[name] {
        case .string(let text), .url(let text): text
        default: nil
        }
    }

    /// The value of `name` as text: typed when the project declares it, else the winning raw
    /// text of the layers; `nil` when unset or empty. For settings any project may set without
    /// declaring them (storage, backups).
    public func text(_ name: String) -> String? {
        let value = string(name) ?? rawValue(name)?.value
        return value?.isEmpty == true ? nil : value
    }

    /// The value of a declared `int` or `port` variable; `nil` when the variable is undeclared, unset
    /// without a default, or of another type.
    public func int(_ name: String) -> Int? {
        if case .int(let number) = values[name] { number } else { nil }
    }

    /// The value of a declared `bool` variable; `nil` when the variable is undeclared, unset without a
    /// default, or of another type.
    public func bool(_ name: String) -> Bool? {
        if case .bool(let flag) = values[name] { flag } else { nil }
    }

    /// The value of a declared `duration` variable (`30s`, `1h30m`); `nil` when the variable is
    /// undeclared, unset without a default, or of another type.
    public func duration(_ name: String) -> Duration? {
        if case .duration(let duration) = values[name] { duration } else { nil }
    }

    /// The items of a declared `list` variable, each typed as its element type; `nil` when the variable
    /// is undeclared, unset without a default, or of another type.
    public func list(_ name: String) -> [TypedValue]? {
        if case .list(let items) = values[name] { items } else { nil }
    }

    /// A swift-configuration reader over the same layers, in the same precedence, so a
    /// Hummingbird (or any) server reads Wenwex's resolved configuration with the API it knows.
    ///
    /// Each layer is one provider; schema defaults and the dev database default form the last
    /// one. Secret variables, and values holding URL credentials, are marked secret so the
    /// library redacts them in its descriptions and access logs.
    public func configReader(accessReporter: (any AccessReporter)? = nil) -> ConfigReader {
        let secretNames = Set(
            (layers.variables.keys.map { $0 } + schema.variables.map(\.name)).filter(isSecret)
        )
        let specifier = SecretsSpecifier<String, String>.dynamic { key, value in
            secretNames.contains(key) || SecretMasker.maskingCredentials(in: value) != value
        }
        var defaults: [String: String] = [:]
        for variable in schema.variables {
            defaults[variable.name] = variable.defaultValue
        }
        defaults[project.database.urlVariable] = databases.primary.url.rawValue
        let providers: [any ConfigProvider] =
            layers.layers.map {
                EnvironmentVariablesProvider(environmentVariables: $0.variables, secretsSpecifier: specifier)
            } + [EnvironmentVariablesProvider(environmentVariables: defaults, secretsSpecifier: specifier)]
        return ConfigReader(providers: providers, accessReporter: accessReporter)
    }
}

/// Shows file paths relative to the working directory when they are inside it.
struct DisplayPath: Sendable {
    let base: URL

    func callAsFunction(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let prefix = base.path.hasSuffix("/") ? base.path : base.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
