import ArgumentParser
import Foundation
import WenwexConfig
import WenwexOps

struct BackupCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Exit 1 unless the newest verified backup is recent enough (for monitoring).",
        discussion: """
            Passes when a backup younger than --max-age has passed verification. A newer backup \
            that failed verification is reported too. Also fails when BACKUP_ENCRYPTION=required \
            and that backup is not encrypted.
            """
    )

    @OptionGroup var options: MigrateOptions

    @Option(help: "The oldest acceptable age of the newest verified backup (30m, 2h, 1d).")
    var maxAge: String = "2h"

    @Flag(help: "Print the result as JSON.")
    var json = false

    struct Report: Encodable {
        var ok: Bool
        var newestVerified: String?
        var ageSeconds: Double?
        var maxAgeSeconds: Double
        var problems: [String]
    }

    func run() async throws {
        guard let limit = DurationFormat.parse(maxAge) else {
            throw CLIFailure("--max-age '\(maxAge)' is not a duration", fix: "write e.g. 30m, 2h or 1d", code: .usage)
        }
        let context = try await BackupContext.load(options, json: json)
        let manifests = try await context.run { try await context.settings.repository.manifests() }
        let limitSeconds = Double(limit.components.seconds)
        var problems: [String] = []
        let verified = manifests.first(where: \.isVerified)
        let age = verified.map { Date().timeIntervalSince($0.startedAt) }
        if let verified, let age {
            if age > limitSeconds {
                problems.append(
                    "the newest verified backup, \(verified.id), is \(Self.describe(age)) old (limit \(maxAge))"
                )
            }
            if context.settings.requireEncryption, verified.encryption == nil {
                problems.append("backup \(verified.id) is not encrypted, but BACKUP_ENCRYPTION=required")
            }
        } else {
            problems.append("there is no verified backup of '\(context.configuration.environment.name)'")
        }
        if let failed = manifests.first, failed.verification?.passed == false {
            problems.append("the newest backup, \(failed.id), failed verification")
        }
        if json {
            context.output.emit(
                Report(
                    ok: problems.isEmpty,
                    newestVerified: verified?.id,
                    ageSeconds: age,
                    maxAgeSeconds: limitSeconds,
                    problems: problems
                )
            )
        } else if problems.isEmpty, let verified, let age {
            context.output.line("OK: backup \(verified.id) was verified and is \(Self.describe(age)) old.")
        } else {
            for problem in problems { context.output.error("problem: " + problem) }
        }
        if !problems.isEmpty { throw CLIFailure.reported(.problem) }
    }

    static func describe(_ seconds: Double) -> String {
        seconds < 120 ? "\(Int(seconds)) s" : seconds < 7200 ? "\(Int(seconds / 60)) min" : String(format: "%.1f h", seconds / 3600)
    }
}
