import HTTPTypes
import NIOCore

/// One HTTP/1.1 request head read straight from the connection's bytes, for ``WireHits``: how
/// long the head is, how long its body is, and, for a request the edge may answer itself, its
/// method, target and fields.
///
/// The scan is deliberately narrow. It accepts only what RFC 9112 allows and NIO's parser
/// would accept the same way; anything else (a `Transfer-Encoding`, `Upgrade`, an obsolete
/// line fold, a bare `LF`, a control byte, a head over ``maximumLength``) is `.unsupported`,
/// and the connection is left to NIO's parser from then on, which answers it as before.
struct WireRequestHead {
    /// Bytes of the head, the blank line included.
    var length: Int
    /// Bytes of the body that follows (`Content-Length`; 0 without one).
    var bodyLength: Int
    /// Set for a `GET` or `HEAD` over HTTP/1.1 in origin form with no `Connection` or `Expect`
    /// field: a request a fresh hit or a guard may answer without the responder.
    var examinable: Examinable?

    struct Examinable {
        var method: HTTPRequest.Method
        var target: String
        /// The fields, the first `Host` left out as NIO's codec leaves it out (it becomes the
        /// authority).
        var headers: HTTPFields
    }

    enum Scan {
        /// The head has not fully arrived.
        case incomplete
        /// Not for this scanner: NIO's parser takes the connection.
        case unsupported
        case request(WireRequestHead)
    }

    /// Heads longer than this go to NIO's parser, which has its own limit and answer.
    static let maximumLength = 16 * 1024
    static let maximumFields = 100

    static func scan(_ buffer: ByteBuffer) -> Scan {
        buffer.withUnsafeReadableBytes { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.scan()
        }
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        /// The next line's bounds without its CRLF, or `nil` when no full line is there yet;
        /// `.unsupported` comes back through `valid` for a bare LF.
        mutating func nextLine() -> (line: Range<Int>, valid: Bool)? {
            let limit = min(bytes.count, Self.lineSearchLimit)
            var index = position
            while index < limit {
                if bytes[index] == UInt8(ascii: "\n") {
                    guard index > position, bytes[index - 1] == UInt8(ascii: "\r") else {
                        return (position..<index, false)
                    }
                    let line = position..<(index - 1)
                    position = index + 1
                    return (line, true)
                }
                index += 1
            }
            return nil
        }

        static let lineSearchLimit = WireRequestHead.maximumLength

        mutating func scan() -> Scan {
            guard let (requestLine, valid) = nextLine() else { return tooLong() }
            guard valid, let start = RequestLine(bytes, requestLine) else { return .unsupported }
            var fields = start.examinable ? HTTPFields() : nil
            var bodyLength: Int?
            var sawHost = false
            var count = 0
            while true {
                guard let (line, valid) = nextLine() else { return tooLong() }
                guard valid else { return .unsupported }
                if line.isEmpty { break }
                count += 1
                guard count <= WireRequestHead.maximumFields, let field = FieldLine(bytes, line) else {
                    return .unsupported
                }
                switch field.special(bytes) {
                case .contentLength:
                    guard bodyLength == nil, let length = field.decimalValue(bytes) else { return .unsupported }
                    bodyLength = length
                    continue  // framing, rebuilt by the forwarder; never a cache input
                case .transferEncoding, .upgrade:
                    return .unsupported
                case .connection, .expect:
                    fields = nil
                case .host where !sawHost:
                    sawHost = true
                    continue
                case .host, .other:
                    break
                }
                if fields != nil {
                    let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[field.name]), as: UTF8.self)
                    guard let name = HTTPField.Name(name) else { return .unsupported }
                    fields!.append(HTTPField(name: name, value: UnsafeRawBufferPointer(rebasing: bytes[field.value])))
                }
            }
            let examinable = fields.map { fields in
                Examinable(
                    method: start.isHead ? .head : .get,
                    target: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start.target]), as: UTF8.self),
                    headers: fields
                )
            }
            return .request(WireRequestHead(length: position, bodyLength: bodyLength ?? 0, examinable: examinable))
        }

        func tooLong() -> Scan {
            bytes.count >= WireRequestHead.maximumLength ? .unsupported : .incomplete
        }
    }

    /// `method SP request-target SP HTTP/1.x`.
    private struct RequestLine {
        var target: Range<Int>
        var isHead: Bool
        /// GET or HEAD, origin form, HTTP/1.1.
        var examinable: Bool

        init?(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) {
            var index = line.lowerBound
            while index < line.upperBound, Grammar.isTokenByte(bytes[index]) { index += 1 }
            let method = line.lowerBound..<index
            guard !method.isEmpty, index < line.upperBound, bytes[index] == UInt8(ascii: " ") else { return nil }
            index += 1
            let targetStart = index
            while index < line.upperBound, bytes[index] > 0x20, bytes[index] < 0x7F { index += 1 }
            target = targetStart..<index
            guard !target.isEmpty, index < line.upperBound, bytes[index] == UInt8(ascii: " ") else { return nil }
            index += 1
            let version = UnsafeRawBufferPointer(rebasing: bytes[index..<line.upperBound])
            let isHTTP11 = version.elementsEqual("HTTP/1.1".utf8)
            guard isHTTP11 || version.elementsEqual("HTTP/1.0".utf8) else { return nil }
            let methodBytes = UnsafeRawBufferPointer(rebasing: bytes[method])
            isHead = methodBytes.elementsEqual("HEAD".utf8)
            examinable =
                isHTTP11 && (isHead || methodBytes.elementsEqual("GET".utf8))
                && bytes[target.lowerBound] == UInt8(ascii: "/")
        }
    }

    /// `field-name ":" OWS field-value OWS`.
    private struct FieldLine {
        var name: Range<Int>
        var value: Range<Int>

        init?(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) {
            var index = line.lowerBound
            while index < line.upperBound, Grammar.isTokenByte(bytes[index]) { index += 1 }
            name = line.lowerBound..<index
            // An empty name is also how an obsolete line fold (leading space) shows.
            guard !name.isEmpty, index < line.upperBound, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            var end = line.upperBound
            while index < end, Grammar.isWhitespace(bytes[index]) { index += 1 }
            while end > index, Grammar.isWhitespace(bytes[end - 1]) { end -= 1 }
            value = index..<end
            for position in value where !Grammar.isValueByte(bytes[position]) { return nil }
        }

        enum Special { case contentLength, transferEncoding, upgrade, connection, expect, host, other }

        func special(_ bytes: UnsafeRawBufferPointer) -> Special {
            let name = UnsafeRawBufferPointer(rebasing: bytes[name])
            switch name.count {
            case 4 where Grammar.equalsLowercased(name, "host"): return .host
            case 6 where Grammar.equalsLowercased(name, "expect"): return .expect
            case 7 where Grammar.equalsLowercased(name, "upgrade"): return .upgrade
            case 10 where Grammar.equalsLowercased(name, "connection"): return .connection
            case 14 where Grammar.equalsLowercased(name, "content-length"): return .contentLength
            case 17 where Grammar.equalsLowercased(name, "transfer-encoding"): return .transferEncoding
            default: return .other
            }
        }

        /// The value as a `Content-Length`: 1 to 15 digits and nothing else.
        func decimalValue(_ bytes: UnsafeRawBufferPointer) -> Int? {
            guard (1...15).contains(value.count) else { return nil }
            var number = 0
            for position in value {
                let digit = bytes[position] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                number = number * 10 + Int(digit)
            }
            return number
        }
    }

    /// RFC 9110 §5.1 and §5.5.
    private enum Grammar {
        static func isTokenByte(_ byte: UInt8) -> Bool { tokenBytes[Int(byte)] }

        static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

        /// VCHAR, SP, HTAB and obs-text: no other control byte, no DEL.
        static func isValueByte(_ byte: UInt8) -> Bool { byte == 0x09 || (byte >= 0x20 && byte != 0x7F) }

        static func equalsLowercased(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
            let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
            for index in 0..<bytes.count {
                let byte = bytes[index]
                let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                if folded != expected[index] { return false }
            }
            return true
        }

        private static let tokenBytes: [Bool] = (0..<256).map { value in
            let byte = UInt8(value)
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
