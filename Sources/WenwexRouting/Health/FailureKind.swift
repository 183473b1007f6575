import PostgresNIO
import WenwexSQL
import _ConnectionPoolModule

/// What an error says about the node that raised it, decided by the driver's error types and
/// codes (never by error text):
/// - ``connection``: the connection or the node is gone (refused, reset, closed by the server, a
///   broken protocol stream, the server shutting down). Enough on its own to take the node out
///   of rotation; a read moves to another node, a write reports the primary unavailable.
/// - ``node``: the node has a problem that may pass (a connect attempt that timed out, a server
///   still starting, too many connections, a write on a read-only node). Probes count these
///   toward the failure threshold; a request that meets one moves elsewhere.
/// - ``statement``: the statement's own fault (or a cancelled task); it reaches the caller
///   unchanged and says nothing about the node.
enum FailureKind: Equatable {
    case connection
    case node
    case statement

    init(_ error: any Error) {
        switch error {
        case let error as PSQLError:
            self = Self(error)
        case let error as ConnectionPoolError:
            self = error == .requestCancelled ? .statement : .connection
        case let error as ChannelError:
            self = Self(error)
        case is IOError, is NIOConnectionError:
            self = .connection
        case is DatabaseConnectionLost:
            // The session found its connection already closed by the server (a replica
            // stopped under the read): nothing ran, so the read may go elsewhere.
            self = .connection
        default:
            self = .statement
        }
    }

    private init(_ error: PSQLError) {
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            if state.hasPrefix("08") || state == "57P01" || state == "57P02" {
                // 08: connection exception; 57P01 / 57P02: the server shuts down or crashed.
                self = .connection
            } else if state == "57P03" || state == "53300" || state == "25006" {
                // 57P03: cannot connect now (starting up); 53300: too many connections;
                // 25006: a write reached a read-only node (a demoted primary).
                self = .node
            } else {
                self = .statement
            }
        case .connectionError:
            if let underlying = error.underlying as? ChannelError {
                self = Self(underlying)
            } else {
                self = .connection
            }
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .messageDecodingFailure, .unexpectedBackendMessage:
            self = .connection
        case .sslUnsupported, .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest,
            .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            self = .node
        default:
            // queryCancelled, tooManyParameters, invalidCommandTag, listen errors.
            self = .statement
        }
    }

    private init(_ error: ChannelError) {
        switch error {
        case .connectTimeout: self = .node
        default: self = .connection
        }
    }
}
