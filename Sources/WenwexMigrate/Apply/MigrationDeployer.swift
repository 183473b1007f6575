public import WenwexSQL

/// Why `migrate deploy` refused to run or stopped. Each names the migration and says how to
/// fix it.
public enum MigrationDeployError: Error, Sendable, CustomStringConvertible {
    case failedEarlier(name: String, logs: String?)
    case edited([MigrationStatus.Edited])
    case missingFromDirectory([String])
    case migrationFailed(name: String, reason: String)
    /// Every attempt's `lock_timeout` ran out: something held the table the whole time.
    case lockUnavailable(name: String, attempts: Int, waited: Duration)
    /// A contract migration would remove what these running servers' release still uses.
    case contractWhileOlderServersRun(name: String, needs: String?, servers: [ServerRegistry.Server])

    public var description: String {
        switch self {
        case .failedEarlier(let name, let logs):
            """
            migration \(name) failed earlier and is not resolved\(logs.map { ":\n    \($0.replacingOccurrences(of: "\n", with: "\n    "))" } ?? "")
              fix: repair the database if needed, then run `wenwex migrate resolve --rolled-back \(name)` to retry it, \
            or `wenwex migrate resolve --applied \(name)` if you applied it by hand
            """
        case .edited(let migrations):
            """
            \(migrations.map { "migration \($0.name) was edited after it was applied (recorded checksum \($0.recordedChecksum.prefix(12))…, file now \($0.fileChecksum.prefix(12))…)" }.joined(separator: "\n"))
              fix: restore the applied file (e.g. `git checkout -- <path>`) and put the change in a new migration
            """
        case .missingFromDirectory(let names):
            """
            the database has applied migrations that the migrations folder lacks: \(names.joined(separator: ", "))
              fix: deploy the code that contains them (this build is older than the database)
            """
        case .lockUnavailable(let name, let attempts, let waited):
            """
            migration \(name) could not get its table locks in \(attempts) attempts over \(waited) and was not applied; \
            each attempt gave up after its lock_timeout so the traffic queued behind it could run
              fix: find the long transaction holding the table (SELECT pid, xact_start, query FROM pg_stat_activity \
            WHERE state <> 'idle' ORDER BY xact_start), let it finish or end it, then deploy again
            """
        case .contractWhileOlderServersRun(let name, let needs, let servers):
            """
            contract migration \(name) removes what older releases still use, and \(servers.count) running \
            server\(servers.count == 1 ? " was" : "s were") built without \(needs ?? "the migrations before it"):
            \(servers.map { "    \($0)" }.joined(separator: "\n"))
              fix: finish the rolling deploy (every server on a release that ships \(needs ?? "them")), \
            then run `wenwex migrate deploy --contract` again; nothing was applied from \(name) on
            """
        case .migrationFailed(let name, let reason):
            """
            migration \(name) failed and was rolled back: \(reason)
              fix: correct the migration (it was never applied), or repair the data it trips on, then deploy again
            """
        }
    }
}

/// What a deploy did.
public struct DeployResult: Sendable, Hashable {
    /// Migrations this run applied, in order.
    public var applied: [String]
    /// Migrations another process applied while this one waited (SQLite) — applied once, as
    /// promised.
    public var appliedElsewhere: [String]
    /// Pending from the first contract migration on, left for `migrate deploy --contract`.
    public var waitingForContract: [String] = []
}

/// `migrate deploy`: applies pending migrations in order, each in its own transaction, under
/// the migration lock.
///
/// A migration's history row is written inside its transaction, so a migration that fails or
/// whose process is killed leaves no trace but the failure record written afterwards (a killed
/// one leaves nothing at all and simply runs again). Before anything runs, the deploy refuses
/// a history it cannot trust: an unresolved failure, an edited applied file, or applied
/// migrations the folder lacks.
public struct MigrationDeployer: Sendable {
    public let session: any SQLSession
    public let files: [MigrationFile]
    /// How a PostgreSQL migration waits for table locks: `lock_timeout` per attempt, retried
    /// with backoff (``MigrationLockRetry``). Ignored on SQLite, which has one writer.
    public var lockRetry: MigrationLockRetry = .default
    /// Runs contract migrations (``MigrationPhase``), once every running server was built with
    /// every migration before each; otherwise a deploy stops before the first one.
    public var runsContractMigrations = false
    /// How recently a server must have reported to ``ServerRegistry`` to count as running:
    /// three of its reports (every 10 s), so a killed server ages out.
    public var serverLiveness: Duration = .seconds(30)
    /// How `-- wenwex:backfill` lines run (``Backfill``): batch size, pauses, progress.
    public var backfills = BackfillRunner()
    /// Told before each retry: the migration, the attempt that timed out (from 1), the wait.
    public var onLockRetry: @Sendable (_ migration: String, _ attempt: Int, _ backoff: Duration) -> Void = { _, _, _ in
    }

    public init(session: any SQLSession, files: [MigrationFile]) {
        self.session = session
        self.files = files
    }

    /// Applies every pending migration; `onApply` is told each one's name before it runs.
    @discardableResult
    public func deploy(lockTimeout: Duration = .seconds(60), onApply: (String) -> Void = { _ in }) async throws
        -> DeployResult
    {
        let history = MigrationHistory(session)
        return try await MigrationLock.withLock(session, timeout: lockTimeout) {
            // Under the lock: two deploys creating the table at once collide in PostgreSQL's
            // catalog even with IF NOT EXISTS.
            try await history.prepare()
            try await ServerRegistry(session).prepare()
            try await BackfillProgress(session).prepare()
            let status = MigrationStatus(files: files, records: try await history.records())
            try Self.refuseUntrusted(status)
            try await resumeBackfills()
            var result = DeployResult(applied: [], appliedElsewhere: [])
            var pending = status.pending[...]
            if !runsContractMigrations {
                let waiting = status.pending.fromFirstContract
                result.waitingForContract = waiting.map(\.name)
                pending = pending.dropLast(waiting.count)
            }
            for file in pending {
                if file.phase == .contract { try await refuseContractWhileOlderServersRun(file) }
                // Read before anything runs: a line that cannot be read stops the deploy untouched.
                let declaredBackfills = try Backfill.declared(in: file)
                onApply(file.name)
                if try await apply(file, history, registering: declaredBackfills) {
                    result.applied.append(file.name)
                    for backfill in declaredBackfills {
                        try await backfills.run(backfill, of: file.name, on: session)
                    }
                } else {
                    result.appliedElsewhere.append(file.name)
                }
            }
            return result
        }
    }

    /// A contract migration runs only when every running server's build has every migration
    /// before it: a server built without them may still read what the contract removes.
    private func refuseContractWhileOlderServersRun(_ file: MigrationFile) async throws {
        guard let position = files.firstIndex(where: { $0.name == file.name }), position > 0 else { return }
        let needs = files[position - 1].name
        let older = try await ServerRegistry(session).running(within: serverLiveness).filter { server in
            (server.migrationHead ?? "") < needs
        }
        if !older.isEmpty {
            throw MigrationDeployError.contractWhileOlderServersRun(name: file.name, needs: needs, servers: older)
        }
    }

    /// Finishes the backfills an earlier deploy left unfinished (it was killed, or a batch
    /// failed), before anything else runs: later migrations may rely on the data.
    private func resumeBackfills() async throws {
        for entry in try await BackfillProgress(session).unfinished() {
            guard let file = files.first(where: { $0.name == entry.migration }),
                let backfill = try Backfill.declared(in: file).first(where: { $0.position == entry.position })
            else { continue }
            try await backfills.run(backfill, of: file.name, on: session)
        }
    }

    static func refuseUntrusted(_ status: MigrationStatus) throws {
        if let failed = status.failed.first {
            throw MigrationDeployError.failedEarlier(name: failed.name, logs: failed.logs)
        }
        if !status.edited.isEmpty { throw MigrationDeployError.edited(status.edited) }
        if !status.missingFromDirectory.isEmpty {
            throw MigrationDeployError.missingFromDirectory(status.missingFromDirectory)
        }
    }

    /// Runs one migration; `false` when another process applied it first.
    ///
    /// In a transaction the history row is one `INSERT` after the statements, committed with
    /// them. SQLite first re-reads the history inside the transaction, because its lock is the
    /// transaction itself; PostgreSQL's advisory lock already excludes other deploys. A file
    /// that cannot run in a transaction (`CREATE INDEX CONCURRENTLY`) is recorded as started
    /// first, so a crash halfway through shows as a failure to resolve.
    private func apply(_ file: MigrationFile, _ history: MigrationHistory, registering declaredBackfills: [Backfill])
        async throws -> Bool
    {
        let statements = SQLScript.statements(in: file.sql)
        let transactional = MigrationScriptRunner.isTransactional(statements)
        // Only a file that runs in one transaction can be retried whole: it left nothing behind.
        let lockSetting =
            session.dialect == .postgres && transactional
                && !statements.contains(where: MigrationScriptRunner.addsEnumValue)
            ? lockRetry.setting : nil
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            var startedID: String?
            do {
                if !transactional { startedID = try await history.recordStart(of: file) }
                let onLockRetry = onLockRetry
                try await MigrationScriptRunner.run(
                    file.sql,
                    on: session,
                    statementLocks: transactional
                        ? nil
                        : StatementLockRetry(policy: lockRetry) { attempt, backoff in
                            onLockRetry(file.name, attempt, backoff)
                        },
                    before: {
                        if let lockSetting { try await session.execute(lockSetting, []) }
                        guard transactional, session.dialect == .sqlite else { return }
                        let applied = try await history.records().contains {
                            $0.name == file.name && $0.state == .applied
                        }
                        if applied { throw AlreadyApplied() }
                    },
                    after: { count in
                        // With the history row: a backfill is to do exactly when its migration applied.
                        try await BackfillProgress(session).register(declaredBackfills, of: file.name)
                        if let startedID {
                            try await history.recordFinish(id: startedID, steps: count)
                        } else {
                            try await history.recordApplied(file, steps: count)
                        }
                    }
                )
                return true
            } catch is AlreadyApplied {
                return false
            } catch let failed as MigrationStatementFailed
                where lockSetting != nil && failed.sqlState == MigrationLockRetry.lockNotAvailable
            {
                // Rolled back whole: nothing to record. Let the queue drain, then try again.
                let backoff = lockRetry.backoff(after: attempt)
                let waited = ContinuousClock.now - started
                guard waited + backoff <= lockRetry.maxWait else {
                    throw MigrationDeployError.lockUnavailable(name: file.name, attempts: attempt, waited: waited)
                }
                onLockRetry(file.name, attempt, backoff)
                try await Task.sleep(for: backoff)
            } catch {
                let reason = (error as? MigrationStatementFailed)?.description ?? DatabaseErrorText.describe(error)
                if let startedID {
                    try? await history.recordFailure(id: startedID, logs: reason)
                } else {
                    try? await history.recordFailure(of: file, logs: reason)
                }
                throw MigrationDeployError.migrationFailed(name: file.name, reason: reason)
            }
        }
    }

    private struct AlreadyApplied: Error {}
}
