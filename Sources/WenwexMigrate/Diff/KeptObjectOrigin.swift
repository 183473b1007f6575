import Foundation
public import WenwexSQL

/// Which migration made an object `schema.prisma` cannot express, so `migrate diff` can say
/// "kept: made by migration X" and a reader knows where its definition lives.
public enum KeptObjectOrigin {
    /// The first migration whose SQL names the object (quoted or bare), in history order; for a
    /// table's row-level security, the first that switches it on for that table.
    public static func migration(creating object: SQLKeptObject, in files: [MigrationFile]) -> String? {
        let bare = object.name.split(separator: "(").first.map(String.init) ?? object.name
        let quoted = "\"\(bare)\""
        return files.first { file in
            let names = file.sql.contains(quoted) || file.sql.contains(" \(bare) ") || file.sql.contains(" \(bare)(")
            guard object.kind == .rowLevelSecurity else { return names }
            return names && file.sql.range(of: "ENABLE ROW LEVEL SECURITY", options: .caseInsensitive) != nil
        }?.name
    }
}
