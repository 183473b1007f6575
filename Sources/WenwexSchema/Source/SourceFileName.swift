import Foundation

/// A file path as a small number: equal paths get equal numbers, for the life of the process.
///
/// `SourceRange` keeps one instead of the path itself (see there). Paths are few (one per
/// schema file a process ever reads), so the table only grows by a handful of entries.
struct SourceFileName: Sendable, Hashable {
    private let number: UInt32

    /// The number of `path`, registering it the first time.
    init(_ path: String) {
        number = Self.table.number(of: path)
    }

    var path: String { Self.table.path(of: number) }

    private static let table = Table()

    /// Paths and their numbers, behind a lock: parsers may run on several threads.
    private final class Table: @unchecked Sendable {
        private let lock = NSLock()
        private var paths: [String] = []
        private var numbers: [String: UInt32] = [:]

        func number(of path: String) -> UInt32 {
            lock.withLock {
                if let number = numbers[path] { return number }
                let number = UInt32(paths.count)
                paths.append(path)
                numbers[path] = number
                return number
            }
        }

        func path(of number: UInt32) -> String {
            lock.withLock { paths[Int(number)] }
        }
    }
}
