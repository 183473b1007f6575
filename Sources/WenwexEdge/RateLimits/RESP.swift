import NIOCore

/// Redis's wire protocol (RESP2): commands out as arrays of bulk strings, replies parsed from
/// a growing buffer.
public enum RESP {
    public indirect enum Value: Equatable, Sendable {
        case simple(String)
        case error(String)
        case integer(Int)
        case bulk(String?)
        case array([Value]?)
    }

    static func encode(_ arguments: [String], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(arguments.count)\r\n")
        for argument in arguments {
            buffer.writeString("$\(argument.utf8.count)\r\n")
            buffer.writeString(argument)
            buffer.writeString("\r\n")
        }
    }

    /// One whole reply from the front of `buffer` (consumed), or `nil` when more bytes are needed.
    static func parse(_ buffer: inout ByteBuffer) throws -> Value? {
        var copy = buffer
        guard let value = try parseValue(&copy) else { return nil }
        buffer = copy
        return value
    }

    private static func line(_ buffer: inout ByteBuffer) -> String? {
        let view = buffer.readableBytesView
        guard let cr = view.firstIndex(of: 13), view.index(after: cr) < view.endIndex, view[view.index(after: cr)] == 10
        else { return nil }
        let length = cr - view.startIndex
        let text = buffer.readString(length: length)
        buffer.moveReaderIndex(forwardBy: 2)
        return text
    }

    private static func parseValue(_ buffer: inout ByteBuffer) throws -> Value? {
        guard let type = buffer.readInteger(as: UInt8.self), let header = line(&buffer) else { return nil }
        switch type {
        case UInt8(ascii: "+"): return .simple(header)
        case UInt8(ascii: "-"): return .error(header)
        case UInt8(ascii: ":"):
            guard let number = Int(header) else { throw RedisError.protocolViolation(header) }
            return .integer(number)
        case UInt8(ascii: "$"):
            guard let length = Int(header) else { throw RedisError.protocolViolation(header) }
            if length < 0 { return .bulk(nil) }
            guard buffer.readableBytes >= length + 2, let text = buffer.readString(length: length) else { return nil }
            buffer.moveReaderIndex(forwardBy: 2)
            return .bulk(text)
        case UInt8(ascii: "*"):
            guard let count = Int(header) else { throw RedisError.protocolViolation(header) }
            if count < 0 { return .array(nil) }
            var items: [Value] = []
            for _ in 0..<count {
                guard let item = try parseValue(&buffer) else { return nil }
                items.append(item)
            }
            return .array(items)
        default:
            throw RedisError.protocolViolation(String(UnicodeScalar(type)))
        }
    }
}

/// What went wrong talking to Redis.
public enum RedisError: Error, CustomStringConvertible, Sendable {
    case protocolViolation(String)
    case server(String)
    case connectionClosed

    public var description: String {
        switch self {
        case .protocolViolation(let text): "Redis sent something that is not RESP: \(text)"
        case .server(let message): "Redis answered an error: \(message)"
        case .connectionClosed: "the connection to Redis closed"
        }
    }
}
