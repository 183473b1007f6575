import Foundation
public import Logging
public import PostgresNIO
import Synchronization
import WenwexConfig

/// A `SQLSession` over one PostgresNIO connection.
///
/// Public so other modules (the router) can wrap connections they lease from a
/// `PostgresClient` pool; the session does not own such a connection and `close()` is then the
/// pool's business.
public final class PostgresSession: SQLSession {
    /// Always ``SQLDialect/postgres``.
    public let dialect = SQLDialect.postgres
    /// The underlying connection, for code that needs PostgresNIO's full API.
    public let connection: PostgresConnection
    private let logger: Logger
    /// Set once the server ended the connection (a FATAL error, a closed socket): PostgresNIO
    /// can leave a query sent after that waiting forever, so later calls fail at once instead.
    private let isBroken = Atomic<Bool>(false)

    /// Wraps a connection the caller opened or leased; the session neither pools nor closes it unless
    /// ``close()`` is called.
    public init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    static func connect(
        to location: DatabaseURL.PostgresLocation,
        timeout: Duration,
        logger: Logger
    ) async throws -> PostgresSession {
        let configuration = try PostgresSettings.connection(location, connectTimeout: timeout)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        return PostgresSession(connection: connection, logger: logger)
    }

    /// Runs a statement to completion. The row sequence is drained because PostgresNIO's
    /// `query` returns as soon as a statement that yields rows has described them: without
    /// draining, `execute` would return while the statement is still running, and an error it
    /// raised later (or the connection dying under it) would never reach the caller.
    public func execute(_ sql: String, _ binds: [SQLValue]) async throws {
        try await guardingConnection {
            let rows = try await connection.query(try query(sql, binds), logger: logger)
            for try await _ in rows {}
        }
    }

    /// Runs a statement and returns its rows; types without a neutral form arrive as `.text`
    /// (timestamps in ISO 8601, numerics in full precision). Once the server has ended the connection,
    /// throws ``DatabaseConnectionLost`` without sending anything.
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await guardingConnection {
            var rows: [SQLRow] = []
            var columns: [String]?
            for try await row in try await connection.query(try query(sql, binds), logger: logger) {
                let names = columns ?? row.map(\.columnName)
                columns = names
                rows.append(SQLRow(columns: names, values: try row.map(Self.value)))
            }
            return rows
        }
    }

    /// Runs `body` unless the connection is known to be gone, and notes when an error says it is.
    private func guardingConnection<Result>(_ body: () async throws -> Result) async throws -> Result {
        if isBroken.load(ordering: .acquiring) || connection.isClosed {
            throw DatabaseConnectionLost()
        }
        do {
            return try await body()
        } catch let error as PSQLError {
            let severity = error.serverInfo?[.severity]
            if severity == "FATAL" || severity == "PANIC" || error.code == .serverClosedConnection
                || error.code == .uncleanShutdown || error.code == .connectionError
            {
                isBroken.store(true, ordering: .releasing)
            }
            throw error
        }
    }

    /// Closes the connection. Do not call it on a connection leased from a pool: the pool owns it.
    public func close() async throws {
        try await connection.close()
    }

    private func query(_ sql: String, _ binds: [SQLValue]) throws -> PostgresQuery {
        var bindings = PostgresBindings()
        for bind in binds {
            switch bind {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .bool(let value): bindings.append(value)
            case .bytes(let value): bindings.append(ByteBuffer(bytes: value))
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    /// Decodes a cell by its column type; types without a neutral form arrive as text
    /// (timestamps as ISO 8601, numerics in full precision).
    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: return .integer(try cell.decode(Int.self))
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .bool: return .bool(try cell.decode(Bool.self))
        case .bytea: return .bytes(Array(buffer: try cell.decode(ByteBuffer.self)))
        case .timestamp, .timestamptz:
            if cell.format == .binary, var bytes = cell.bytes, bytes.readableBytes == 8,
                let micros = bytes.readInteger(as: Int64.self)
            {
                return .text(PostgresTimestampText.iso8601(microsecondsSince2000: micros))
            }
            return .text(
                try cell.decode(Date.self).formatted(
                    .iso8601.year().month().day().time(includingFractionalSeconds: true)
                )
            )
        case .date:
            if cell.format == .binary, var bytes = cell.bytes, bytes.readableBytes == 4,
                let days = bytes.readInteger(as: Int32.self)
            {
                return .text(PostgresTimestampText.iso8601(daysSince2000: days))
            }
            return .text(
                try cell.decode(Date.self).formatted(
                    .iso8601.year().month().day().time(includingFractionalSeconds: true)
                )
            )
        case .numeric: return .text(try cell.decode(Decimal.self).description)
        default: return .text(try cell.decode(String.self))
        }
    }
}

/// A statement was not sent because the server had already ended the session's connection.
public struct DatabaseConnectionLost: Error, Sendable, CustomStringConvertible {
    /// A fixed sentence without server details, safe to show anyone.
    public var description: String { "the database closed the connection" }
}
