import Foundation
public import Logging
import PostgresNIO
public import WenwexConfig

/// Opens a `SQLSession` for a database URL.
public enum DatabaseConnector {
    /// How a session will be used.
    public enum Access: Sendable {
        /// Checks: a SQLite file that does not exist is reported, never created.
        case readOnly
        /// Changes allowed: a missing SQLite file is created, with its directory. A PostgreSQL session is
        /// the same in both modes.
        case readWrite
    }

    /// Connects to `url`, turning every failure into a `DatabaseUnavailable` whose message is
    /// safe to print (no password).
    ///
    /// The 10 s default is PostgresNIO's: a loaded server (or CI machine) can take seconds to
    /// start a backend, and a refused or unknown host still fails at once.
    public static func open(
        _ url: DatabaseURL,
        access: Access = .readWrite,
        timeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "wenwex.sql")
    ) async throws(DatabaseUnavailable) -> any SQLSession {
        switch url.kind {
        case .postgres(let location):
            do {
                return try await PostgresSession.connect(to: location, timeout: timeout, logger: logger)
            } catch {
                throw DatabaseUnavailable(database: url, reason: DatabaseErrorText.describe(error))
            }
        case .sqlite(let path):
            if access == .readOnly, path != ":memory:", !FileManager.default.fileExists(atPath: path) {
                throw DatabaseUnavailable(database: url, reason: "the file does not exist yet", isMissingFile: true)
            }
            do {
                if access == .readWrite, path != ":memory:" {
                    try FileManager.default.createDirectory(
                        at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                        withIntermediateDirectories: true
                    )
                }
                return try await SQLiteSession.open(path: path, readOnly: access == .readOnly, logger: logger)
            } catch {
                throw DatabaseUnavailable(database: url, reason: DatabaseErrorText.describe(error))
            }
        }
    }

    /// Opens a session, runs `body`, and closes the session whether or not `body` throws.
    public static func withSession<Result: Sendable>(
        _ url: DatabaseURL,
        access: Access = .readWrite,
        timeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "wenwex.sql"),
        _ body: (any SQLSession) async throws -> Result
    ) async throws -> Result {
        let session = try await open(url, access: access, timeout: timeout, logger: logger)
        do {
            let result = try await body(session)
            try? await session.close()
            return result
        } catch {
            try? await session.close()
            throw error
        }
    }
}

/// A database that could not be reached or opened.
public struct DatabaseUnavailable: Error, Sendable, CustomStringConvertible {
    /// The database, printed masked.
    public var database: DatabaseURL
    /// Why, credentials masked: the server's message and SQLSTATE, the network error, or
    /// `the file does not exist yet` for a SQLite file opened ``DatabaseConnector/Access/readOnly``.
    public var reason: String
    /// A SQLite file that has not been created yet: expected on a fresh clone.
    public var isMissingFile: Bool = false

    /// The database's label and masked URL with the reason: safe to print.
    public var description: String {
        "\(database.label) (\(database.masked)) is not reachable: \(reason)"
    }
}

/// Turns driver errors into one-line text with no secrets.
///
/// PostgresNIO's `PSQLError.description` is deliberately generic; the server's message and the
/// underlying network error are what a person needs.
public enum DatabaseErrorText {
    /// The server's SQLSTATE for `error` (`55P03` for a lock timeout), when the server sent one.
    public static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// One line for `error`, safe to log or show: the server's message and SQLSTATE, the
    /// network error, or the driver's error code; credentials masked.
    public static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            if let underlying = error.underlying {
                return SecretMasker.maskingCredentials(in: String(describing: underlying))
            }
            return "connection failed (\(error.code))"
        }
        return SecretMasker.maskingCredentials(in: String(describing: error))
    }
}
