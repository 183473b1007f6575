import ArgumentParser
import WenwexConfig
import WenwexMigrate
import WenwexSQL

/// `wenwex migrate status`: how the database's history compares with the migrations folder.
struct MigrateStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show pending, failed, edited and unknown migrations (exit 1 when there are any).",
        discussion: "Reads only: a SQLite database that does not exist yet is reported, not created."
    )

    @OptionGroup var options: MigrateOptions

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        let output = Output(json: json)
        let configuration = try options.loadConfiguration(output: output)
        let primary = configuration.databases.primary
        let directory = options.migrationDirectory(configuration)
        var upToDate = false
        try await MigrateFailure.run(output: output) {
            let files = try directory.migrations(for: primary.url.dialect)
            let records: [MigrationRecord]
            do {
                records = try await GuardedDatabase.withReadOnlySession(primary, owner: configuration.owner) {
                    session in
                    try await MigrationHistory(session).records()
                }.result
            } catch let error as DatabaseUnavailable where error.isMissingFile {
                records = []
            }
            let status = MigrationStatus(files: files, records: records)
            upToDate = status.isUpToDate
            if json {
                output.emit(StatusDocument(status, database: primary.url.masked))
            } else {
                print(status, files: files, database: primary.url, output: output)
            }
        }
        if !upToDate { throw CLIFailure.reported(.problem) }
    }

    private func print(_ status: MigrationStatus, files: [MigrationFile], database: DatabaseURL, output: Output) {
        output.line(
            "\(files.count) migration\(files.count == 1 ? "" : "s") in the folder; \(status.applied.count) applied to \(database.label)."
        )
        for record in status.failed {
            output.line(
                "failed:  \(record.name)\(record.logs.map { " — \($0.split(separator: "\n").first ?? "")" } ?? "")"
            )
        }
        for edited in status.edited {
            output.line("edited:  \(edited.name) (changed after it was applied)")
        }
        for name in status.missingFromDirectory {
            output.line("unknown: \(name) (applied to the database, missing from the folder)")
        }
        for file in status.pending {
            output.line("pending: \(file.name)")
        }
        if status.isUpToDate {
            output.line("Database schema is up to date!")
        } else if !status.failed.isEmpty {
            output.line(
                "  fix: repair the database, then `wenwex migrate resolve --rolled-back NAME` (to retry) or `--applied NAME`"
            )
        } else if !status.pending.isEmpty, status.edited.isEmpty, status.missingFromDirectory.isEmpty {
            output.line("  fix: run `wenwex migrate deploy` (or `wenwex migrate dev` in development)")
        }
    }
}

private struct StatusDocument: Encodable {
    var database: String
    var upToDate: Bool
    var applied: [String]
    var pending: [String]
    var failed: [String]
    var edited: [String]
    var missingFromDirectory: [String]

    init(_ status: MigrationStatus, database: String) {
        self.database = database
        upToDate = status.isUpToDate
        applied = status.applied
        pending = status.pending.map(\.name)
        failed = status.failed.map(\.name)
        edited = status.edited.map(\.name)
        missingFromDirectory = status.missingFromDirectory
    }
}
