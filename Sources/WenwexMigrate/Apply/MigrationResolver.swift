public import WenwexSQL

/// `migrate resolve` refused: the history does not allow the requested mark.
public struct MigrationResolveError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// `migrate resolve`: how a person tells the history what really happened to a migration
/// after repairing a failure by hand.
public enum MigrationResolver {
    /// Records `name` as applied without running it: its file's checksum is stored and any
    /// failed attempt is marked rolled back.
    public static func markApplied(_ name: String, files: [MigrationFile], session: any SQLSession) async throws {
        guard let file = files.first(where: { $0.name == name }) else {
            throw MigrationResolveError(
                description:
                    "there is no migration \(name) in the migrations folder\n  fix: pass a folder name from `wenwex migrate status`"
            )
        }
        let history = MigrationHistory(session)
        try await MigrationLock.withLock(session) {
            try await history.prepare()
            let records = try await history.records().filter { $0.name == name }
            if records.contains(where: { $0.state == .applied }) {
                throw MigrationResolveError(description: "migration \(name) is already recorded as applied")
            }
            try await history.markRolledBack(name: name, note: "resolved as applied by hand")
            try await history.recordApplied(file)
        }
    }

    /// Marks the failed attempt of `name` rolled back, so the next deploy runs it again.
    public static func markRolledBack(_ name: String, session: any SQLSession) async throws {
        let history = MigrationHistory(session)
        try await MigrationLock.withLock(session) {
            let records = try await history.records().filter { $0.name == name }
            guard records.contains(where: { $0.state == .failed }) else {
                throw MigrationResolveError(
                    description:
                        "migration \(name) has no failed attempt to roll back (only failed migrations can be marked rolled back)"
                )
            }
            try await history.markRolledBack(name: name)
        }
    }
}
