public import Foundation
public import WenwexConfig
public import WenwexMigrate

extension BackupSettings {
    /// The scheduled job every Wenwex process runs the same way: back up `source`, verify the
    /// backup (unless `verify` is false), then prune with `policy`. `wenwex backup schedule`
    /// runs it alone; `wenwex serve` runs it beside the HTTP server when `BACKUP_SCHEDULE` is
    /// set.
    public func scheduler(
        every interval: Duration,
        jitter: Duration = .zero,
        policy: RetentionPolicy,
        source: DatabaseURL,
        owner: DatabaseOwner,
        verify: Bool = true,
        migrations: [MigrationFile]? = nil
    ) -> BackupScheduler<ContinuousClock> {
        let settings = self
        return BackupScheduler(
            every: interval,
            jitter: jitter,
            clock: ContinuousClock(),
            logger: logger,
            lastRunAge: {
                guard let newest = try await settings.repository.manifests().first else { return nil }
                return .seconds(Date().timeIntervalSince(newest.startedAt))
            },
            job: {
                let manifest = try await settings.creator.create(source: source, owner: owner, reason: "scheduled")
                if verify {
                    let result = try await settings.verifier.verify(
                        manifest,
                        server: settings.verifyServer,
                        migrations: migrations
                    )
                    if !result.passed {
                        settings.logger.error(
                            "backup failed verification",
                            metadata: ["id": "\(manifest.id)", "problems": "\(result.details)"]
                        )
                    }
                }
                _ = try await BackupPruner(repository: settings.repository, policy: policy).prune()
            }
        )
    }

    /// The schedule `wenwex serve` runs from `BACKUP_SCHEDULE` (an interval such as `1h`),
    /// `BACKUP_KEEP` (a retention policy; default 24 hourly, 7 daily, 4 weekly, 12 monthly)
    /// and `BACKUP_JITTER`; `nil` when `BACKUP_SCHEDULE` is not set.
    public static func configuredSchedule(
        _ configuration: WenwexConfiguration,
        migrations: [MigrationFile]?
    ) async throws -> BackupScheduler<ContinuousClock>? {
        guard let every = configuration.text("BACKUP_SCHEDULE") else { return nil }
        func duration(_ name: String, _ value: String) throws -> Duration {
            guard let duration = configuration.duration(name) ?? DurationFormat.parse(value) else {
                throw configuration.problem(name, message: "'\(value)' is not a duration", hint: "write e.g. 1h or 30m")
            }
            return duration
        }
        let interval = try duration("BACKUP_SCHEDULE", every)
        let jitter = try configuration.text("BACKUP_JITTER").map { try duration("BACKUP_JITTER", $0) } ?? .zero
        let policy = try RetentionPolicy(
            parsing: configuration.text("BACKUP_KEEP") ?? "24 hourly, 7 daily, 4 weekly, 12 monthly"
        )
        let settings = try await load(configuration)
        return settings.scheduler(
            every: interval,
            jitter: jitter,
            policy: policy,
            source: configuration.databases.primary.url,
            owner: configuration.owner,
            migrations: migrations
        )
    }
}
