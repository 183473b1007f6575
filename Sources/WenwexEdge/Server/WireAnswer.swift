import HTTPTypes
import NIOCore

/// The HTTP/1.1 bytes of what the edge answers on the event loop, which ``WireHits`` writes
/// straight to the socket: what NIO's encoder would write for the same answer, without
/// converting every field twice on the way (HTTPTypes to NIO's headers to bytes).
enum WireAnswer {
    /// A stored response's head for whole replays: status line and fields, `Age` left out
    /// (each hit writes its own) and `Content-Length` added when the origin framed the body
    /// another way.
    struct ReplayHead: Sendable {
        var bytes: ByteBuffer
        /// The origin sent no `Date`: each hit adds the current one, as the encoder path does.
        var lacksDate: Bool
    }

    /// Bodies up to this size are copied behind the head, so a small hit is one buffer and one
    /// write; larger ones are written from the stored buffer, uncopied.
    static let copiedBodyLimit = 16 * 1024

    static func replayHead(status: HTTPResponse.Status, headers: HTTPFields, bodyLength: Int) -> ReplayHead {
        var bytes = ByteBufferAllocator().buffer(capacity: 512)
        writeStatusLine(status, into: &bytes)
        for field in headers where field.name != .age { writeField(field, into: &bytes) }
        if headers[.contentLength] == nil, mayHaveBody(status) {
            bytes.writeStaticString("Content-Length: ")
            bytes.writeString(String(bodyLength))
            bytes.writeStaticString("\r\n")
        }
        return ReplayHead(bytes: bytes, lacksDate: headers[.date] == nil)
    }

    /// The whole answer: one buffer, and the stored body apart when it is large.
    static func render(
        _ answer: ImmediateAnswer,
        dates: DateHeader,
        allocator: ByteBufferAllocator
    ) -> (head: ByteBuffer, body: ByteBuffer?) {
        switch answer {
        case .stored(let stored, let age, let method):
            let head = stored.wireHead
            let body = method == .head ? nil : stored.body
            let copies = (body?.readableBytes ?? 0) <= copiedBodyLimit
            var out = allocator.buffer(
                capacity: head.bytes.readableBytes + 80 + (copies ? body?.readableBytes ?? 0 : 0)
            )
            out.writeImmutableBuffer(head.bytes)
            out.writeStaticString("Age: ")
            out.writeString(StoredAnswer.ageText(age))
            out.writeStaticString("\r\n")
            if head.lacksDate { writeDate(dates, into: &out) }
            out.writeStaticString("\r\n")
            guard let body else { return (out, nil) }
            if copies {
                out.writeImmutableBuffer(body)
                return (out, nil)
            }
            return (out, body)
        case .made(let made, let method):
            return render(made, method: method, dates: dates, allocator: allocator)
        }
    }

    /// `method` `.head` sends the fields without the body.
    static func render(
        _ answer: EdgeAnswer,
        method: HTTPRequest.Method,
        dates: DateHeader,
        allocator: ByteBufferAllocator
    ) -> (head: ByteBuffer, body: ByteBuffer?) {
        let body = method == .head ? nil : answer.body
        var out = allocator.buffer(capacity: 512 + (body?.readableBytes ?? 0))
        writeStatusLine(answer.status, into: &out)
        for field in answer.headers { writeField(field, into: &out) }
        if answer.headers[.date] == nil { writeDate(dates, into: &out) }
        if answer.headers[.contentLength] == nil, mayHaveBody(answer.status) {
            out.writeStaticString("Content-Length: ")
            out.writeString(String(answer.body?.readableBytes ?? 0))
            out.writeStaticString("\r\n")
        }
        out.writeStaticString("\r\n")
        if let body { out.writeImmutableBuffer(body) }
        return (out, nil)
    }

    /// RFC 9110 §6.4.1: 1xx, 204 and 304 responses never have content.
    static func mayHaveBody(_ status: HTTPResponse.Status) -> Bool {
        status.code >= 200 && status != .noContent && status != .notModified
    }

    private static func writeStatusLine(_ status: HTTPResponse.Status, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(status.code))
        buffer.writeStaticString(" ")
        buffer.writeString(status.reasonPhrase)
        buffer.writeStaticString("\r\n")
    }

    private static func writeField(_ field: HTTPField, into buffer: inout ByteBuffer) {
        buffer.writeString(field.name.rawName)
        buffer.writeStaticString(": ")
        field.withUnsafeBytesOfValue { buffer.writeBytes($0) }
        buffer.writeStaticString("\r\n")
    }

    private static func writeDate(_ dates: DateHeader, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("Date: ")
        buffer.writeString(dates.now())
        buffer.writeStaticString("\r\n")
    }
}
