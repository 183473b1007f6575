/// How a database's history compares with the migration folder.
public struct MigrationStatus: Sendable {
    /// An applied migration whose file no longer has the checksum recorded when it ran.
    public struct Edited: Sendable, Hashable {
        public var name: String
        public var recordedChecksum: String
        public var fileChecksum: String
    }

    /// Applied migrations, in order.
    public var applied: [String] = []
    /// In the folder, not applied yet, in the order they will run.
    public var pending: [MigrationFile] = []
    /// Attempts that started and never finished, and are not resolved.
    public var failed: [MigrationRecord] = []
    public var edited: [Edited] = []
    /// Applied in the database but absent from the folder: the database is ahead of this code.
    public var missingFromDirectory: [String] = []

    /// Nothing pending, failed, edited or diverged.
    public var isUpToDate: Bool {
        pending.isEmpty && failed.isEmpty && edited.isEmpty && missingFromDirectory.isEmpty
    }

    /// Compares the folder's migrations with the history table's rows.
    public init(files: [MigrationFile], records: [MigrationRecord]) {
        var appliedChecksums: [String: String] = [:]
        for record in records where record.state == .applied {
            appliedChecksums[record.name] = record.checksum
        }
        let fileNames = Set(files.map(\.name))
        for file in files {
            if let checksum = appliedChecksums[file.name] {
                applied.append(file.name)
                // Prisma leaves the checksum empty for rows `resolve --applied` wrote by hand.
                if !checksum.isEmpty, checksum != file.checksum {
                    edited.append(Edited(name: file.name, recordedChecksum: checksum, fileChecksum: file.checksum))
                }
            } else {
                pending.append(file)
            }
        }
        failed = records.filter { $0.state == .failed && appliedChecksums[$0.name] == nil }
        var seen: Set<String> = []
        missingFromDirectory = records.filter { record in
            record.state == .applied && !fileNames.contains(record.name) && seen.insert(record.name).inserted
        }.map(\.name)
    }
}
