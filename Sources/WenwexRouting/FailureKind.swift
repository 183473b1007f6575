import PostgresNIO

/// Whether an error means the node is unusable (so the request may move elsewhere) or is the
/// statement's own fault (so it must reach the caller unchanged).
enum FailureKind: Equatable {
    case node
    case statement

    init(_ error: any Error) {
        switch error {
        case is ProbeTimedOut:
            self = .node
        case let error as PSQLError:
            switch error.code {
            case .server:
                // 08: connection exception; 57P0x: the server is shutting down or starting;
                // 25006: a write reached a read-only node.
                let state = error.serverInfo?[.sqlState] ?? ""
                self = state.hasPrefix("08") || state.hasPrefix("57P") || state == "25006" ? .node : .statement
            case .queryCancelled:
                self = .statement
            default:
                self = .node
            }
        case is CancellationError:
            self = .statement
        default:
            let name = String(describing: type(of: error))
            self = name.contains("ConnectionPoolError") || name.contains("ChannelError") ? .node : .statement
        }
    }
}
