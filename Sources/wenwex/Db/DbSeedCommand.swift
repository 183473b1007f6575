import ArgumentParser
import Foundation
import WenwexConfig
import WenwexOps
import WenwexSQL

/// `wenwex db seed`: fake rows derived from the schema, for dev and staging databases.
struct DbSeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill the database with realistic fake rows derived from the schema.",
        discussion: """
            Values follow the schema: types, lengths, enums, unique indexes and foreign keys \
            (parents first), with real-looking emails, names, phone numbers, URLs and prices. The \
            same --seed gives the same rows. Refused on prod; on staging it asks before adding \
            to a database that has rows already (--yes in scripts). Apply the migrations first.
            """
    )

    @OptionGroup var options: MigrateOptions

    @Option(help: "Rows per table (join and one-to-one tables may get fewer).")
    var count = 10

    @Option(help: "The seed of the fake data; the same seed gives the same rows.")
    var seed: UInt64 = 1

    @Flag(help: "Confirm without asking (needed on staging when the database has rows and no terminal is attached).")
    var yes = false

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be 0 or more") }
    }

    func run() async throws {
        let output = Output(json: false)
        let configuration = try options.project.loadConfiguration(output: output)
        let primary = configuration.databases.primary
        let environment = configuration.environment
        try await MigrateFailure.run(output: output) {
            try TierGuard.requireTier([.dev, .staging], for: "wenwex db seed", in: environment)
            let schema = try options.validSchema(configuration, dialect: primary.url.dialect, output: output)
            let seeder = Seeder(schema: schema, dialect: primary.url.dialect)
            let report = try await withGuardedPrimary(configuration) { session in
                let existing = try await seeder.existingRows(session)
                if environment.tier == .staging, existing > 0 {
                    let question =
                        "\(primary.url.label) (environment '\(environment.name)', tier staging) already holds \(existing) rows; add \(count) fake rows per table?"
                    guard TerminalConfirmation(assumeYes: yes).confirm(question) else {
                        throw ConfigurationError([
                            ConfigurationProblem(
                                subject: "wenwex db seed",
                                location: nil,
                                message: "was not confirmed; nothing was changed",
                                hint: "answer 'yes' at the prompt, or pass --yes in scripts"
                            )
                        ])
                    }
                }
                output.line("Seeding \(primary.url.label) with \(count) rows per table, seed \(seed).")
                let started = ContinuousClock.now
                do {
                    let report = try await seeder.seed(session, count: count, seed: seed) { table, position, total in
                        output.progress("Seeding \(table) (\(position)/\(total))…")
                    }
                    output.endProgress()
                    return (report, ContinuousClock.now - started)
                } catch let error as SeedError {
                    throw CLIFailure(
                        "the schema cannot be seeded: \(error.description); nothing was written",
                        code: .usage
                    )
                }
            }
            let width = report.0.tables.map(\.name.count).max() ?? 0
            for table in report.0.tables {
                output.line("  \(table.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(table.rows)")
            }
            let seconds = Double(report.1.components.attoseconds) / 1e18 + Double(report.1.components.seconds)
            output.line(
                "Wrote \(report.0.totalRows) rows in \(String(format: "%.2f", seconds)) s. Repeat with --seed \(seed)."
            )
            if seeder.seedsPasswords {
                output.line("Seeded accounts sign in with the password '\(Seeder.devPassword)'.")
            }
        }
    }
}
