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
            var backfills: [BackfillProgress.Entry] = []
            do {
                (records, backfills) = try await GuardedDatabase.withReadOnlySession(
                    primary,
                    owner: configuration.owner
                ) { session in
                    (try await MigrationHistory(session).records(), try await BackfillProgress(session).unfinished())
                }.result
            } catch let error as DatabaseUnavailable where error.isMissingFile {
                records = []
            }
            let status = MigrationStatus(files: files, records: records)
            upToDate = status.isUpToDate && backfills.isEmpty
            if json {
                output.emit(StatusDocument(status, backfills: backfills, database: primary.url.masked))
            } else {
                print(status, backfills: backfills, files: files, database: primary.url, output: output)
            }
        }
        if !upToDate { throw CLIFailure.reported(.problem) }
    }

    private func print(
        _ status: MigrationStatus,
        backfills: [BackfillProgress.Entry],
        files: [MigrationFile],
        database: DatabaseURL,
        output: Output
    ) {
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
        let waiting = Set(status.pending.fromFirstContract.map(\.name))
        for file in status.pending {
            let note =
                file.phase == .contract
                ? " (contract: waits for `wenwex migrate deploy --contract`)"
                : waiting.contains(file.name) ? " (after a contract migration)" : ""
            output.line("pending: \(file.name)\(note)")
        }
        for backfill in backfills {
            output.line(
                "backfill: \(backfill.migration) #\(backfill.position + 1): \(backfill.rowsDone) rows so far; the next `wenwex migrate deploy` resumes it"
            )
        }
        if status.isUpToDate, backfills.isEmpty {
            output.line("Database schema is up to date!")
        } else if !status.failed.isEmpty {
            output.line(
                "  fix: repair the database, then `wenwex migrate resolve --rolled-back NAME` (to retry) or `--applied NAME`"
            )
        } else if !status.pending.isEmpty || !backfills.isEmpty, status.edited.isEmpty,
            status.missingFromDirectory.isEmpty
        {
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
    /// Pending from the first contract migration on.
    var waitingForContract: [String]
    /// Backfills an earlier deploy left unfinished: migration, line and rows done.
    var unfinishedBackfills: [Backfill]

    struct Backfill: Encodable {
        var migration: String
        var position: Int
        var rowsDone: Int
    }

    init(_ status: MigrationStatus, backfills: [BackfillProgress.Entry], database: String) {
        self.database = database
        upToDate = status.isUpToDate && backfills.isEmpty
        waitingForContract = status.pending.fromFirstContract.map(\.name)
        unfinishedBackfills = backfills.map {
            Backfill(migration: $0.migration, position: $0.position, rowsDone: $0.rowsDone)
        }
        applied = status.applied
        pending = status.pending.map(\.name)
        failed = status.failed.map(\.name)
        edited = status.edited.map(\.name)
        missingFromDirectory = status.missingFromDirectory
    }
}
