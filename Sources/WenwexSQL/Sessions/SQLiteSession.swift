import Foundation
public import Logging
import NIOPosix
public import SQLiteNIO

/// A `SQLSession` over one SQLiteNIO connection.
public final class SQLiteSession: SQLSession {
    /// Always ``SQLDialect/sqlite``.
    public let dialect = SQLDialect.sqlite
    /// The underlying SQLiteNIO connection, for code that needs its full API.
    public let connection: SQLiteConnection

    /// Wraps an open connection as it is: unlike ``open(path:readOnly:logger:)`` it sets no WAL,
    /// foreign-key or busy-timeout pragmas.
    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Opens `path`; `readOnly` opens through a `mode=ro` URI so a check never creates or
    /// changes the file. Read-write connections use WAL, so readers never block the writer.
    public static func open(path: String, readOnly: Bool, logger: Logger) async throws -> SQLiteSession {
        let storage: SQLiteConnection.Storage
        if path == ":memory:" {
            storage = .memory
        } else if readOnly {
            let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            storage = .file(path: "file:\(encoded)?mode=ro")
        } else {
            storage = .file(path: path)
        }
        let connection = try await SQLiteConnection.open(
            storage: storage,
            threadPool: SQLiteThreadPool.shared,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
        let session = SQLiteSession(connection: connection)
        if !readOnly {
            _ = try await session.query("PRAGMA journal_mode = WAL")
        }
        try await session.execute("PRAGMA foreign_keys = ON")
        // SQLiteNIO's busy handler retries forever on the thread that runs the statement; a
        // timeout replaces it with SQLite's sleeping handler, so a writer waiting for another
        // process (a second deploy) backs off and gives up after a bound instead of spinning.
        _ = try await session.query("PRAGMA busy_timeout = 15000")
        return session
    }

    /// Runs a statement, its `$n` parameters rewritten to `?n`, and discards any rows.
    public func execute(_ sql: String, _ binds: [SQLValue]) async throws {
        _ = try await connection.query(Self.sqliteParameters(sql), binds.map(Self.data))
    }

    /// Runs a statement, its `$n` parameters rewritten to `?n`, and returns its rows; values arrive as
    /// SQLite stores them, so a `.bool` bind reads back as `.integer`.
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let rows = try await connection.query(Self.sqliteParameters(sql), binds.map(Self.data))
        return rows.map { row in
            SQLRow(
                columns: row.columns.map(\.name),
                values: row.columns.map { column in
                    switch column.data {
                    case .null: .null
                    case .text(let text): .text(text)
                    case .integer(let number): .integer(number)
                    case .float(let number): .double(number)
                    case .blob(let buffer): .bytes(Array(buffer: buffer))
                    }
                }
            )
        }
    }

    /// Closes the connection; the session cannot be used afterwards.
    public func close() async throws {
        try await connection.close()
    }

    private static func data(_ value: SQLValue) -> SQLiteData {
        switch value {
        case .null: .null
        case .integer(let number): .integer(number)
        case .double(let number): .float(number)
        case .text(let text): .text(text)
        case .bool(let flag): .integer(flag ? 1 : 0)
        case .bytes(let bytes): .blob(ByteBuffer(bytes: bytes))
        }
    }

    /// Rewrites `$1`-style parameters to SQLite's `?1` outside quoted text, so one SQL string
    /// serves both dialects. (SQLite reads `$1` as a *named* parameter numbered by first
    /// appearance, which binds the wrong values when `$2` appears before `$1`.)
    ///
    /// Works on UTF-8 bytes: every byte that matters is ASCII, and no multi-byte character
    /// contains an ASCII byte. (This runs for every statement; the `Character` loop it replaces
    /// showed in the server's profile.)
    static func sqliteParameters(_ sql: String) -> String {
        let dollar = UInt8(ascii: "$")
        guard sql.utf8.contains(dollar) else { return sql }
        var output = Array(sql.utf8)
        var quote: UInt8?
        for index in output.indices {
            let byte = output[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
            } else if byte == dollar, index + 1 < output.count,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(output[index + 1])
            {
                output[index] = UInt8(ascii: "?")
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
