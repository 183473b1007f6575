public import Foundation
public import WenwexConfig
import WenwexSQL

/// `wenwex backup restore`: puts a backup back, in a way that cannot go wrong quietly.
///
/// - By default into a **new** database beside the environment's (`<name>_restored_<time>`),
///   leaving the live one untouched.
/// - Over the environment's database only when asked to replace it, naming the environment
///   and the database, after a safety backup of it; on prod also after the person typed the
///   database's name. The backup is restored into a new database first and checked; only then
///   are the two swapped by renaming, and the previous database is kept (renamed), not dropped.
/// - Never across environments: a backup is restored only by a process of its own project and
///   environment (production data reaches staging through the sanitized clone, not a restore),
///   and never over a database stamped for another environment.
/// - The restored database carries the backup's identity stamp (its environment and instance).
public struct BackupRestorer: Sendable {
    /// Its repository and keys load the backup; its creator takes the safety backup before a replace.
    public var settings: BackupSettings

    /// Nothing is touched until ``restore(_:target:database:owner:)``.
    public init(settings: BackupSettings) {
        self.settings = settings
    }

    /// Where a restore goes; ``newDatabase(_:)`` leaves the live database alone.
    public enum Target: Sendable {
        /// A new database (a PostgreSQL database name, or a SQLite file path); `nil` picks
        /// `<name>_restored_<time>`.
        case newDatabase(String?)
        /// Replace the environment's database; each field must name it.
        case replace(Replacement)
    }

    /// What a person must state to replace a database.
    public struct Replacement: Sendable {
        /// Must equal the process's environment name, stated again on purpose.
        public var environment: String
        /// Must equal the live database's name (a PostgreSQL database, or a SQLite file's name).
        public var database: String
        /// Asked on prod: the person types the database's name; true when it matched.
        public var typedConfirmation: @Sendable (_ database: String) -> Bool

        /// `typedConfirmation` is asked only on prod, with the database's name, after the other checks.
        public init(environment: String, database: String, typedConfirmation: @escaping @Sendable (String) -> Bool) {
            self.environment = environment
            self.database = database
            self.typedConfirmation = typedConfirmation
        }
    }

    /// What a restore did, for the command's report.
    public struct Outcome: Sendable {
        /// The restored database (masked when printed).
        public var restored: DatabaseURL
        /// The safety backup taken of the replaced database.
        public var safetyBackup: BackupManifest?
        /// What the replaced database is called now.
        public var previousKeptAs: String?
    }

    /// Restores `manifest` for `owner`, beside or over `database` (the environment's primary).
    public func restore(
        _ manifest: BackupManifest,
        target: Target,
        database: DatabaseURL,
        owner: DatabaseOwner
    ) async throws -> Outcome {
        guard manifest.project == owner.project, manifest.environment == owner.environment else {
            throw BackupError.refused(
                "backup \(manifest.id) belongs to '\(manifest.project)' / '\(manifest.environment)' and this process runs as '\(owner.project)' / '\(owner.environment)'; a backup is never restored into another environment",
                fix:
                    "restore it from its own environment (--env \(manifest.environment)); to give staging production's data, use the sanitized clone instead"
            )
        }
        let suffix = Self.timestamp(Date())
        switch target {
        case .newDatabase(let name):
            let url = try newDatabaseURL(beside: database, name: name, suffix: "restored_" + suffix)
            try await restoreChecked(manifest, into: url, owner: owner)
            return Outcome(restored: url, safetyBackup: nil, previousKeptAs: nil)
        case .replace(let replacement):
            try await checkReplacement(replacement, database: database, owner: owner)
            let safety = try await settings.creator.create(source: database, owner: owner, reason: "pre-restore")
            let staging = try newDatabaseURL(beside: database, name: nil, suffix: "restoring_" + suffix)
            try await restoreChecked(manifest, into: staging, owner: owner)
            let kept = try await DatabaseSwap.swap(database, with: staging, keepingOldAs: "before_restore_" + suffix)
            return Outcome(restored: database, safetyBackup: safety, previousKeptAs: kept)
        }
    }

    /// The three statements a replacement needs, and the existing database's own stamp.
    private func checkReplacement(_ replacement: Replacement, database: DatabaseURL, owner: DatabaseOwner) async throws
    {
        let name = Self.databaseName(database)
        guard replacement.environment == owner.environment, replacement.database == name else {
            throw BackupError.refused(
                "replacing a database must name it and its environment: this is database '\(name)' of environment '\(owner.environment)'",
                fix: "pass --force --environment \(owner.environment) --database \(name)"
            )
        }
        let stamp = try await DatabaseConnector.withSession(database, access: .readOnly) { session in
            try await IdentityStampStore(session: session, url: database).read()
        }
        if let stamp, stamp.environment != owner.environment || stamp.project != owner.project {
            throw BackupError.refused(
                "\(database.label) is stamped for '\(stamp.project)' / '\(stamp.environment)', not '\(owner.environment)'; a backup is never restored over another environment's database",
                fix: "check DATABASE_URL for this environment"
            )
        }
        if owner.tier == .prod, !replacement.typedConfirmation(name) {
            throw BackupError.refused(
                "replacing the prod database '\(name)' was not confirmed",
                fix: "type the database's name when asked (or pass --confirm \(name))"
            )
        }
    }

    /// Restores into a database that must not exist yet, checks it against the manifest, and
    /// removes it again if anything is wrong.
    private func restoreChecked(_ manifest: BackupManifest, into url: DatabaseURL, owner: DatabaseOwner) async throws {
        let loader = PayloadLoader(repository: settings.repository, keys: settings.keys)
        switch url.kind {
        case .postgres:
            let name = Self.databaseName(url)
            guard let admin = url.replacingDatabase(with: "postgres") else {
                throw BackupError.failed("cannot derive an administration URL from \(url.masked)")
            }
            let quoted = SQLDialect.postgres.quoteIdentifier(name)
            try await DatabaseConnector.withSession(admin) { session in
                do {
                    try await session.execute("CREATE DATABASE \(unsafeRaw: quoted)")
                } catch {
                    throw BackupError.refused(
                        "cannot create database '\(name)': \(DatabaseErrorText.describe(error))",
                        fix: "choose another name with --to-database, or drop that database first"
                    )
                }
            }
            do {
                try await loader.load(manifest, into: .postgres(url), keepOwnership: true)
                try await check(url, against: manifest, owner: owner)
            } catch {
                try? await DatabaseConnector.withSession(admin) { session in
                    try await session.execute("DROP DATABASE IF EXISTS \(unsafeRaw: quoted) WITH (FORCE)")
                }
                throw error
            }
        case .sqlite(let path):
            guard !FileManager.default.fileExists(atPath: path) else {
                throw BackupError.refused(
                    "\(path) already exists",
                    fix: "choose another path with --to-database, or remove that file first"
                )
            }
            let partial = URL(fileURLWithPath: path + ".part")
            try? FileManager.default.removeItem(at: partial)
            do {
                try await loader.load(manifest, into: .sqliteFile(partial), keepOwnership: true)
                let partialURL = try DatabaseURL("file:" + partial.path)
                try await check(partialURL, against: manifest, owner: owner)
                try FileManager.default.moveItem(atPath: partial.path, toPath: path)
            } catch {
                try? FileManager.default.removeItem(at: partial)
                throw error
            }
        }
    }

    /// The restored copy's tables, head and stamp against the manifest; an unstamped copy
    /// (the source had no stamp) gets the owner's.
    private func check(_ url: DatabaseURL, against manifest: BackupManifest, owner: DatabaseOwner) async throws {
        try await DatabaseConnector.withSession(url) { session in
            let restored = try await RestoredFacts.read(session, url: url, migrations: nil)
            let problems =
                TableStatistics.differences(expected: manifest.tables, actual: restored.tables)
                + restored.problems(against: manifest)
            guard problems.isEmpty else { throw BackupError.verificationFailed(problems) }
            if restored.facts.stamp == nil {
                try await IdentityStampStore(session: session, url: url).write(owner.newStamp())
            }
        }
    }

    private func newDatabaseURL(beside database: DatabaseURL, name: String?, suffix: String) throws -> DatabaseURL {
        switch database.kind {
        case .postgres:
            let base = String(Self.databaseName(database).prefix(30))
            let chosen = name ?? "\(base)_\(suffix)"
            guard let url = database.replacingDatabase(with: chosen) else {
                throw BackupError.failed("cannot derive a database URL for '\(chosen)'")
            }
            return url
        case .sqlite(let path):
            let file = URL(fileURLWithPath: path)
            let chosen =
                name.map { URL(fileURLWithPath: $0).path }
                ?? file.deletingPathExtension().path + ".\(suffix.replacingOccurrences(of: "_", with: "-")).db"
            return try DatabaseURL("file:" + chosen)
        }
    }

    static func databaseName(_ url: DatabaseURL) -> String {
        switch url.kind {
        case .postgres(let location): location.database
        case .sqlite(let path): URL(fileURLWithPath: path).lastPathComponent
        }
    }

    static func timestamp(_ date: Date) -> String {
        String(BackupID.make(at: date).prefix(15)).lowercased()
    }
}
