import Foundation
import Logging
import SQLiteNIO

/// A `SQLSession` over one SQLiteNIO connection.
final class SQLiteSession: SQLSession {
    let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Opens `path`; `readOnly` opens through a `mode=ro` URI so a check never creates or
    /// changes the file.
    static func open(path: String, readOnly: Bool, logger: Logger) async throws -> SQLiteSession {
        let storage: SQLiteConnection.Storage
        if path == ":memory:" {
            storage = .memory
        } else if readOnly {
            let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            storage = .file(path: "file:\(encoded)?mode=ro")
        } else {
            storage = .file(path: path)
        }
        let connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        let session = SQLiteSession(connection: connection)
        if !readOnly {
            _ = try await session.queryText("PRAGMA journal_mode = WAL")
        }
        try await session.execute("PRAGMA foreign_keys = ON")
        return session
    }

    func execute(_ sql: String, _ binds: [String?]) async throws {
        _ = try await connection.query(sql, binds.map(Self.data))
    }

    func queryText(_ sql: String, _ binds: [String?]) async throws -> [[String?]] {
        let rows = try await connection.query(sql, binds.map(Self.data))
        return rows.map { row in
            row.columns.map { column in
                switch column.data {
                case .null: nil
                case .text(let text): text
                case .integer(let number): String(number)
                case .float(let number): String(number)
                case .blob(let buffer): String(buffer: buffer)
                }
            }
        }
    }

    func close() async throws {
        try await connection.close()
    }

    private static func data(_ bind: String?) -> SQLiteData {
        bind.map { .text($0) } ?? .null
    }
}
