import ArgumentParser
import Foundation
import Logging
import WenwexConfig
import WenwexMigrate
import WenwexOps
import WenwexSQL
import WenwexSchema

/// `wenwex db clone --from prod --to staging`: a sanitized copy of one environment's data in
/// another's.
struct DbCloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone",
        abstract: "Copy one environment's data into another's, sanitizing personal data on the way.",
        discussion: """
            Reads the source in one read-only snapshot, brings the target up to the migration \
            folder (migrate deploy), then replaces all of the target's rows in one transaction: a \
            clone that fails leaves the target as it was. Each column is rewritten by its rule, \
            from [sanitize.<table>] in wenwex.toml or /// @sanitize(rule) on the field: email, \
            name, phone, address, text, ip, token, date_shift(N), null, keep, constant('…'), \
            sql(…). Rules are deterministic under CLONE_SECRET (the target's), so joins and \
            unique values hold and two clones are identical.

            A column that looks like personal data and has no rule stops the clone; --check \
            lists them from the schema alone (for CI). A prod target is refused, and each side \
            must carry its own environment's identity stamp.

            Each environment's DATABASE_URL comes from its own files (.env.prod, \
            .env.staging.local, …) or [environments.<name>.values]; one set in the process \
            environment would be both sides' and is refused.
            """
    )

    @OptionGroup var options: MigrateOptions

    @Option(help: "The environment to copy from (e.g. prod).")
    var from: String?

    @Option(help: "The environment to replace (e.g. staging); never a prod-tier environment.")
    var to: String?

    @Option(
        help: ArgumentHelp(
            "Copy only part of the data: 'User:10%' or 'Order:created_at > now() - interval '30 days''. Repeatable.",
            discussion: "The rows it selects, their children, and every row they reference, so the copy has no orphans."
        )
    )
    var subset: [String] = []

    @Flag(help: "Only check the schema for personal-data columns without a rule; needs no database.")
    var check = false

    @Flag(help: "Print the plan (tables, row estimates, every column's rule) without copying.")
    var dryRun = false

    @Flag(help: "Replace the target's data without asking (for scripts).")
    var yes = false

    func validate() throws {
        if options.project.env != nil { throw ValidationError("name the environments with --from and --to, not --env") }
        if !check, from == nil || to == nil {
            throw ValidationError("pass --from <environment> and --to <environment>")
        }
        if check, dryRun { throw ValidationError("--check reads only the schema; --dry-run reads the source") }
    }

    func run() async throws {
        let output = Output(json: false)
        if check { return try runCheck(output) }
        guard let from, let to else { return }
        let source = try configuration(from, output: output)
        let target = try configuration(to, output: output)
        let (_, rules) = try sanitizeRules(target, output: output)
        var options = options
        options.project.env = to
        let migrations = try CloneFailure.run {
            try options.migrationDirectory(target).migrations(for: .postgres)
        }
        var cloner = DatabaseCloner(
            source: source.databases.primary.url,
            target: target.databases.primary.url,
            sourceOwner: source.owner,
            targetOwner: target.owner,
            rules: rules,
            secret: "",
            migrations: migrations
        )
        cloner.subset = try CloneFailure.run { try subset.map { try SubsetRule(parsing: $0) } }
        // LOG_LEVEL=info shows each phase's time (the per-table lines are on a terminal anyway).
        cloner.logger.logLevel = target.text("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .warning
        try CloneFailure.run { try cloner.checkEndpoints() }
        cloner.secret = try cloneSecret(target, required: !dryRun)
        if dryRun {
            let plan = try await CloneFailure.run { try await cloner.plan() }
            print(plan, output: output)
            if !plan.unsanitized.isEmpty {
                throw CloneFailure.failure(CloneError.unsanitizedPersonalData(plan.unsanitized))
            }
            return
        }
        // Refused before the question, not after it.
        try AccessActor.require("clone", for: "wenwex db clone", target)
        let question =
            "This replaces every row of \(to)'s database (\(target.databases.primary.url.masked)) with a sanitized copy of \(from)'s."
        guard TerminalConfirmation(assumeYes: yes).confirm(question) else {
            throw CLIFailure(
                "not confirmed; nothing was changed",
                fix: "answer yes, or pass --yes in scripts",
                code: .usage
            )
        }
        output.line(
            "Cloning \(from) (\(source.databases.primary.url.label)) into \(to) (\(target.databases.primary.url.label))"
        )
        // The clone acts on the target: its policy says who may, and its audit log records it.
        let report = try await PrivilegedCommand.run(
            "clone",
            command: "wenwex db clone",
            target: "\(from) into \(to)",
            in: target,
            output: output
        ) {
            try await CloneFailure.run {
                try await cloner.run { table, rows, seconds in
                    // Per-table lines on a terminal; a piped run prints only the summary.
                    guard Output.isTerminal else { return }
                    output.line("  \(table)  \(rows) rows  (\(Int(Double(rows) / max(seconds, 0.001))) rows/s)")
                }
            }
        }
        let rate = Int(Double(report.totalRows) / max(report.seconds, 0.001))
        let tables = report.tables.count
        output.line(
            "Cloned \(tables) table\(tables == 1 ? "" : "s"), \(report.totalRows) rows in \(String(format: "%.1f", report.seconds)) s (\(rate) rows/s); \(to) keeps its own identity stamp."
        )
    }

    /// `--check`: personal-data columns without a rule, and rules naming nothing, from the schema.
    private func runCheck(_ output: Output) throws {
        var options = options
        options.project.env = to ?? from
        let configuration = try options.loadConfiguration(output: output)
        let (schema, rules) = try sanitizeRules(configuration, output: output)
        let result = CloneSchemaCheck(schema: SchemaLowering.lower(schema, dialect: .postgres), rules: rules)
        for problem in result.unknown { output.error("error: \(problem)") }
        if !result.unsanitized.isEmpty {
            output.error("error: \(CloneError.unsanitizedPersonalData(result.unsanitized))")
        }
        guard result.passed else {
            output.error("  fix: \(CloneError.unsanitizedPersonalData([]).fix ?? "")")
            throw CLIFailure.reported(.problem)
        }
        output.line("Every column that looks like personal data has a sanitize rule (\(result.ruledColumns) rules).")
    }

    /// One side's configuration; its database URL must come from that environment's own files.
    private func configuration(_ environment: String, output: Output) throws -> WenwexConfiguration {
        var options = options
        options.project.env = environment
        let configuration = try options.loadConfiguration(output: output)
        let primary = configuration.databases.primary
        if primary.source == .processEnvironment {
            throw CLIFailure(
                "\(primary.variable) is set in the process environment, so it would be the database of both --from and --to",
                fix:
                    "unset it and give each environment its own in .env.\(environment) (or .env.\(environment).local, or [environments.\(environment).values] in wenwex.toml)",
                code: .usage
            )
        }
        guard primary.url.dialect == .postgres else {
            throw CLIFailure(
                "\(environment)'s database (\(primary.url.label)) is SQLite; cloning copies PostgreSQL databases",
                fix: "point \(environment)'s \(primary.variable) at PostgreSQL",
                code: .usage
            )
        }
        return configuration
    }

    /// The validated schema and the rules from `[sanitize]` and its `/// @sanitize` lines.
    private func sanitizeRules(_ configuration: WenwexConfiguration, output: Output) throws
        -> (PrismaSchema, [String: [String: SanitizeRule]])
    {
        let schema = try options.validSchema(configuration, dialect: .postgres, output: output)
        let rules = try CloneFailure.run {
            try SanitizeRuleSet.merge(
                projectFile: configuration.project.sanitize,
                annotations: SanitizeAnnotations.read(schema)
            )
        }
        return (schema, rules)
    }

    /// The anonymizer's key: the target environment's `CLONE_SECRET`.
    private func cloneSecret(_ configuration: WenwexConfiguration, required: Bool) throws -> String {
        guard let secret = configuration.text("CLONE_SECRET") else {
            if !required { return "" }
            throw CLIFailure(
                "CLONE_SECRET is not set for \(configuration.environment.name): it keys the fake values, so the same source value gives the same fake one in every clone",
                fix:
                    "set CLONE_SECRET (at least 16 random characters) in .env.\(configuration.environment.name).local; keep it out of prod",
                code: .usage
            )
        }
        guard secret.utf8.count >= 16 else {
            throw CLIFailure(
                "CLONE_SECRET is shorter than 16 characters",
                fix: "use at least 16 random characters, e.g. openssl rand -hex 16",
                code: .usage
            )
        }
        return secret
    }

    private func print(_ plan: ClonePlan, output: Output) {
        output.line("Plan: \(plan.tables.count) tables, about \(plan.tables.reduce(0) { $0 + $1.estimatedRows }) rows")
        for table in plan.tables {
            output.line("  \(table.name) (about \(table.estimatedRows) rows)")
            for column in table.columns {
                let note =
                    column.personal.map { column.ruleWasGiven ? "" : "   <- no rule: \($0)" } ?? ""
                output.line("    \(column.name)  \(column.rule)\(note)")
            }
        }
    }
}

/// Clone, configuration and migration-folder errors as the CLI reports them.
enum CloneFailure {
    static func run<Result>(_ body: () async throws -> Result) async throws -> Result {
        do { return try await body() } catch { throw failure(error) }
    }

    static func run<Result>(_ body: () throws -> Result) throws -> Result {
        do { return try body() } catch { throw failure(error) }
    }

    static func failure(_ error: any Error) -> any Error {
        switch error {
        case let error as CloneError:
            let code: ExitStatus =
                switch error {
                case .failed: .problem
                default: .usage
                }
            return CLIFailure(error.description, fix: error.fix, code: code)
        case let error as CLIFailure: return error
        default:
            return CLIFailure(SecretMasker.maskingCredentials(in: DatabaseErrorText.describe(error)), code: .problem)
        }
    }
}
