import Foundation
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

/// Deploys migrations, one after another in one history, to a database whose table is under a
/// ``SteadyLoad``, and measures how long the load waited while each ran: the longest wait of a
/// load query, or of a ``DDLProbe`` write sent while a DDL statement was active.
final class LiveTableDeploys: @unchecked Sendable {
    let url: DatabaseURL
    let load: SteadyLoad
    let table: String
    /// How `-- wenwex:backfill` lines run (batch size, pause).
    var backfills = BackfillRunner()
    private var history: [MigrationFile] = []

    init(url: DatabaseURL, load: SteadyLoad, table: String) {
        self.url = url
        self.load = load
        self.table = table
    }

    /// Deploys `files` (`suffix`: the name's tail, `nil` for none) as the next migrations named
    /// `name`; `holdingAReader` keeps a transaction that read the table open for 1.5 s, so DDL
    /// needing a strong lock queues behind it. Returns the longest stall and whether a probe
    /// caught a DDL statement running.
    func deploy(_ files: [(suffix: String?, sql: String)], _ name: String, holdingAReader: Bool = false)
        async throws -> (stall: Duration, probed: Bool)
    {
        for part in files {
            let stamp = "202601" + String(100_000_000 + history.count + 1)
            history.append(.inMemory(stamp + "_" + name + (part.suffix.map { "_" + $0 } ?? ""), part.sql))
        }
        let reader = holdingAReader ? try await DatabaseConnector.open(url) : nil
        if let reader {
            try await reader.execute("BEGIN", [])
            _ = try await reader.query("SELECT id FROM \(SQLDialect.postgres.quoteIdentifier(table)) LIMIT 1", [])
        }
        let releasing = Task {
            guard let reader else { return }
            try await Task.sleep(for: .milliseconds(1500))
            try await reader.execute("COMMIT", [])
        }
        _ = load.takeLongest()
        let probe = DDLProbe()
        let history = history
        let backfills = backfills
        try await DatabaseConnector.withSession(url) { [url, table] session in
            let pid = try await session.queryText("SELECT pg_backend_pid()", []).first?.first ?? nil
            let probing = Task { try await probe.run(url, watching: Int(pid ?? "") ?? 0, table: table) }
            var deployer = MigrationDeployer(session: session, files: history)
            deployer.backfills = backfills
            try await deployer.deploy()
            probe.stop.store(true, ordering: .relaxed)
            try await probing.value
        }
        try await releasing.value
        try await reader?.close()
        try await load.settle()
        let stall = max(load.takeLongest(), probe.longest.withLock { $0 })
        return (stall, probe.probes.withLock { $0 } > 0)
    }

    /// ``deploy(_:_:holdingAReader:)`` of a planned script's files.
    func deploy(_ script: MigrationScript, _ name: String, holdingAReader: Bool = false) async throws -> (
        stall: Duration, probed: Bool
    ) {
        try await deploy(script.files.map { ($0.nameSuffix, $0.sql) }, name, holdingAReader: holdingAReader)
    }
}
