import Foundation
import WenwexConfig
import WenwexSQL

/// One PostgreSQL backup: a repeatable-read transaction exports its snapshot, `pg_dump`
/// dumps exactly that snapshot into the store, and the same transaction reads the facts the
/// manifest records (stamp, migration head, per-table counts and checksums) while the dump
/// runs. The counts therefore describe the very rows in the payload.
struct PostgresCopy {
    var url: DatabaseURL
    var location: DatabaseURL.PostgresLocation
    var owner: DatabaseOwner
    var writer: PayloadWriter
    var id: String

    func take() async throws -> TakenCopy {
        try await DatabaseConnector.withSession(url, access: .readOnly) { session in
            let serverVersion = try await session.queryText("SHOW server_version").first?.first ?? nil
            let versionNumber = try await session.queryText("SHOW server_version_num").first?.first ?? nil
            let serverMajor = (Int(versionNumber ?? "") ?? 0) / 10_000
            let tools = try PostgresClientTools.locate(serverMajor: serverMajor)

            try await session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let snapshot = try await session.queryText("SELECT pg_export_snapshot()").first?.first ?? nil
            guard let snapshot else { throw BackupError.failed("PostgreSQL exported no snapshot") }
            let stamp = try await IdentityStampStore(session: session, url: url).read()
            try BackupCreator.checkOwnership(stamp, owner: owner, url: url)

            let dump = try ToolProcess(
                [tools.pgDump, "--format=custom", "--snapshot=\(snapshot)", "--no-password"],
                environment: PostgresClientTools.connectionEnvironment(location),
                writesOutput: true
            )
            // The store reads the dump while this task reads the facts, in the same snapshot.
            let storing = Task { try await writer.write(dump.output, id: id) }
            let facts: SourceFacts
            do {
                facts = SourceFacts(
                    stamp: stamp,
                    migrationHead: try await SourceFacts.migrationHead(session),
                    tables: try await TableStatistics.collect(session)
                )
            } catch {
                dump.terminate()
                _ = try? await storing.value
                throw error
            }
            let written: PayloadWriter.Written
            do {
                written = try await storing.value
            } catch {
                dump.terminate()
                throw error
            }
            // A dump that failed half-way still ended its output: only its status tells.
            try await dump.waitForSuccess()
            try await session.execute("COMMIT")
            return TakenCopy(
                format: .postgresCustom,
                facts: facts,
                written: written,
                tools: ["pg_dump": tools.versionText, "server": "PostgreSQL \(serverVersion ?? "?")"]
            )
        }
    }
}
