import Foundation

/// Where a migration stands in an expand/contract change, the way to make a change running
/// code cannot survive (a rename, a type change, a drop, a column made required) without
/// downtime during a rolling deploy.
///
/// The *expand* migration adds the new shape beside the old one and keeps both working (a new
/// column kept in step by a trigger, filled by a `-- wenwex:backfill`); the release that ships
/// it moves the code over. The *contract* migration removes the old shape, and `migrate
/// deploy` runs it only with `--contract` and only once every server still running was built
/// with every migration before it (``ServerRegistry``), so no server still reads what it drops.
///
/// A file says which it is with a line of its own: `-- wenwex:expand` or `-- wenwex:contract`.
public enum MigrationPhase: String, Sendable, Hashable {
    case regular
    case expand
    case contract
}

extension MigrationFile {
    /// The phase the file declares; `regular` without a marker line.
    public var phase: MigrationPhase {
        for line in sql.split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("--") else { continue }
            let words = text.dropFirst(2).trimmingCharacters(in: .whitespaces)
            if words == "wenwex:contract" { return .contract }
            if words == "wenwex:expand" { return .expand }
        }
        return .regular
    }
}

extension Array where Element == MigrationFile {
    /// From the first contract migration on: what waits for `migrate deploy --contract`
    /// (later migrations keep their order behind it).
    public var fromFirstContract: ArraySlice<MigrationFile> {
        guard let first = firstIndex(where: { $0.phase == .contract }) else { return [] }
        return self[first...]
    }
}
