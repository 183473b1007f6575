import NIOCore
import PostgresNIO

/// Turns source rows (every column cast to text) into lines of `COPY` text, each column
/// rewritten by its rule.
///
/// The hot loop of a clone, so columns that pass through (`keep`, `sql(…)`, whose value the
/// source already computed) are copied as the bytes PostgreSQL sent, without becoming a
/// `String`; only columns with a generating rule are decoded and rewritten.
struct CloneRowWriter {
    let columns: [ClonePlan.Column]
    let anonymizer: Anonymizer
    /// Fake values already written, per column; only unique columns with a generating rule
    /// keep theirs, to draw again on a collision.
    private var used: [Set<String>]
    private let tracksUsed: [Bool]

    init(columns: [ClonePlan.Column], anonymizer: Anonymizer) {
        self.columns = columns
        self.anonymizer = anonymizer
        used = Array(repeating: [], count: columns.count)
        tracksUsed = columns.map { $0.isUnique && $0.rule.isGenerated }
    }

    mutating func write(_ row: PostgresRow, into buffer: inout ByteBuffer) {
        var index = 0
        for cell in row {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            let column = columns[index]
            switch column.rule {
            case .keep, .sql:
                CopyText.write(bytes: cell.bytes, into: &buffer)
            case .null:
                buffer.writeStaticString("\\N")
            case .constant(let constant):
                CopyText.write(cell.bytes == nil ? nil : constant, into: &buffer)
            default:
                let value = cell.bytes.map { String(buffer: $0) }
                CopyText.write(fake(value, column: index), into: &buffer)
            }
            index += 1
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// The column's fake value; a unique column draws again (deterministically, by attempt)
    /// until the value is one it has not written yet.
    private mutating func fake(_ value: String?, column index: Int) -> String? {
        let column = columns[index]
        let first = anonymizer.apply(column.rule, to: value, maxLength: column.maxLength)
        guard tracksUsed[index], var candidate = first else { return first }
        var attempt = 0
        while used[index].contains(candidate), attempt < 1000 {
            attempt += 1
            candidate =
                anonymizer.apply(column.rule, to: value, maxLength: column.maxLength, attempt: attempt) ?? candidate
        }
        used[index].insert(candidate)
        return candidate
    }
}

/// PostgreSQL's `COPY` text format: tab-separated, `\N` for NULL, backslash escapes.
enum CopyText {
    static func write(_ value: String?, into buffer: inout ByteBuffer) {
        guard var value else {
            buffer.writeStaticString("\\N")
            return
        }
        value.withUTF8 { write(raw: UnsafeRawBufferPointer($0), into: &buffer) }
    }

    static func write(bytes: ByteBuffer?, into buffer: inout ByteBuffer) {
        guard let bytes else {
            buffer.writeStaticString("\\N")
            return
        }
        bytes.withUnsafeReadableBytes { write(raw: $0, into: &buffer) }
    }

    /// Copies the bytes in one piece when nothing needs escaping (nearly always), else byte by byte.
    private static func write(raw: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        let special = raw.contains {
            $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t")
        }
        guard special else {
            buffer.writeBytes(raw)
            return
        }
        for byte in raw {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
