import ArgumentParser
import WenwexConfig
import WenwexMigrate
import WenwexSQL

/// `wenwex migrate lint`: catch data loss in the migrations folder before it ships (for CI).
struct MigrateLintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Report migrations that drop, narrow or otherwise risk data (exit 1 on errors).",
        discussion: """
            Rules: \(LintRule.acknowledgeable.map(\.rawValue).joined(separator: ", ")). A migration \
            acknowledges a rule with a comment line `-- wenwex:allow <rule>`; its findings are then \
            reported but do not fail the command. With --database, the first pending migration is \
            also checked against the environment's database (row counts, duplicates, enum values \
            in use, table sizes).
            """
    )

    @OptionGroup var options: MigrateOptions

    @Flag(help: "Use the environment's database for facts about the first pending migration.")
    var database = false

    @Flag(help: "Lint only migrations the database has not applied (needs --database).")
    var pendingOnly = false

    func run() async throws {
        let output = Output(json: false)
        let configuration = try options.loadConfiguration(output: output)
        let primary = configuration.databases.primary
        let dialect = primary.url.dialect
        let directory = options.migrationDirectory(configuration)
        var blocking = 0
        try await MigrateFailure.run(output: output) {
            let files = try directory.migrations(for: dialect)
            let reports: [MigrationLintReport]
            if database {
                reports = try await withGuardedPrimary(configuration) { session in
                    let status = MigrationStatus(files: files, records: try await MigrationHistory(session).records())
                    let pending = Set(status.pending.map(\.name))
                    return try await ShadowDatabase.with(beside: primary.url) { shadow in
                        try await MigrationDirectoryLinter(dialect: dialect, database: session)
                            .lint(files, selected: pendingOnly ? pending : nil, shadow: shadow)
                    }
                }
            } else {
                reports = try await ShadowDatabase.with(beside: primary.url) { shadow in
                    try await MigrationDirectoryLinter(dialect: dialect).lint(files, shadow: shadow)
                }
            }
            for report in reports where !report.findings.isEmpty {
                output.line(report.migration)
                for finding in report.findings { output.line("  \(finding)") }
            }
            blocking = reports.flatMap(\.findings).blocking.count
            let total = reports.flatMap(\.findings).count
            output.line(
                "Linted \(reports.count) migration\(reports.count == 1 ? "" : "s"): \(total) finding\(total == 1 ? "" : "s"), \(blocking) blocking."
            )
        }
        if blocking > 0 { throw CLIFailure.reported(.problem) }
    }
}
