import NIOCore
import PostgresNIO

/// Turns source rows into `COPY` data, each column rewritten by its rule.
///
/// The hot loop of a clone, so columns that pass through (`keep`, and `sql(…)`, whose value the
/// source already computed) are copied as the bytes PostgreSQL sent, without becoming a
/// `String`; only columns with a generating rule are decoded and rewritten. In the text format
/// the source sent every column cast to text; in the binary format it sent each column's binary
/// form, which for text types is the UTF-8 text the rules work on.
struct CloneRowWriter {
    let columns: [ClonePlan.Column]
    let anonymizer: Anonymizer
    let format: CopyIntoStatement.Format
    /// Each column's rule reduced to what the loop does with a cell (a switch on the rule
    /// itself, an enum with payloads, costs more per cell than the rest of a `keep`).
    private let actions: [Action]
    /// Fake values already written, per column; only unique columns with a generating rule
    /// keep theirs, to draw again on a collision.
    private var used: [Set<String>]
    private let tracksUsed: [Bool]

    private enum Action {
        case pass
        case null
        case constant(String)
        case generate
    }

    /// `tracksCollisions`: whether unique columns draw again on a collision. Off when rows are
    /// rewritten in parts, whose collisions the database finds after the load instead.
    init(
        columns: [ClonePlan.Column],
        anonymizer: Anonymizer,
        format: CopyIntoStatement.Format = .text,
        tracksCollisions: Bool = true
    ) {
        self.columns = columns
        self.anonymizer = anonymizer
        self.format = format
        actions = columns.map { column in
            switch column.rule {
            case .keep, .sql: .pass
            case .null: .null
            case .constant(let constant): .constant(constant)
            default: .generate
            }
        }
        used = Array(repeating: [], count: columns.count)
        tracksUsed = columns.map { tracksCollisions && $0.isUnique && $0.rule.isGenerated }
    }

    /// What comes before the first row: the binary format's signature, flags and (empty)
    /// header extension; nothing in the text format.
    static func begin(_ format: CopyIntoStatement.Format, into buffer: inout ByteBuffer) {
        guard format == .binary else { return }
        buffer.writeBytes([0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00])  // PGCOPY\n\377\r\n\0
        buffer.writeInteger(UInt32(0))
        buffer.writeInteger(UInt32(0))
    }

    /// What comes after the last row: the binary format's trailer.
    static func end(_ format: CopyIntoStatement.Format, into buffer: inout ByteBuffer) {
        guard format == .binary else { return }
        buffer.writeInteger(Int16(-1))
    }

    mutating func write(_ row: PostgresRow, into buffer: inout ByteBuffer) {
        switch format {
        case .text: writeText(row, into: &buffer)
        case .binary: writeBinary(row, into: &buffer)
        }
    }

    private mutating func writeText(_ row: PostgresRow, into buffer: inout ByteBuffer) {
        var index = 0
        for cell in row {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            switch actions[index] {
            case .pass: CopyText.write(bytes: cell.bytes, into: &buffer)
            case .null: buffer.writeStaticString("\\N")
            case .constant(let constant): CopyText.write(cell.bytes == nil ? nil : constant, into: &buffer)
            case .generate: CopyText.write(fake(cell.bytes, column: index), into: &buffer)
            }
            index += 1
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// A tuple of the binary format: the field count, then each field's length (-1 for NULL)
    /// and bytes.
    private mutating func writeBinary(_ row: PostgresRow, into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int16(truncatingIfNeeded: columns.count))
        var index = 0
        for cell in row {
            switch actions[index] {
            case .pass: CopyBinary.write(bytes: cell.bytes, into: &buffer)
            case .null: buffer.writeInteger(Int32(-1))
            case .constant(let constant): CopyBinary.write(cell.bytes == nil ? nil : constant, into: &buffer)
            case .generate: CopyBinary.write(fake(cell.bytes, column: index), into: &buffer)
            }
            index += 1
        }
    }

    /// The column's fake value for the cell's bytes (`nil` is NULL); a unique column draws again
    /// (deterministically, by attempt) until the value is one it has not written yet.
    private mutating func fake(_ cell: ByteBuffer?, column index: Int) -> String? {
        guard let cell else { return nil }
        let column = columns[index]
        return cell.withUnsafeReadableBytes { bytes in
            var candidate = anonymizer.fake(column.rule, bytes, maxLength: column.maxLength)
            guard tracksUsed[index] else { return candidate }
            var attempt = 0
            while used[index].contains(candidate), attempt < 1000 {
                attempt += 1
                candidate = anonymizer.fake(column.rule, bytes, maxLength: column.maxLength, attempt: attempt)
            }
            used[index].insert(candidate)
            return candidate
        }
    }
}

/// A field in `COPY`'s binary format: its length (-1 for NULL), then its bytes.
enum CopyBinary {
    /// A field as the source sent it, in its binary form.
    static func write(bytes: ByteBuffer?, into buffer: inout ByteBuffer) {
        guard var bytes else {
            buffer.writeInteger(Int32(-1))
            return
        }
        buffer.writeInteger(Int32(truncatingIfNeeded: bytes.readableBytes))
        buffer.writeBuffer(&bytes)
    }

    /// A text value: its UTF-8 bytes.
    static func write(_ value: String?, into buffer: inout ByteBuffer) {
        guard var value else {
            buffer.writeInteger(Int32(-1))
            return
        }
        value.withUTF8 { bytes in
            buffer.writeInteger(Int32(truncatingIfNeeded: bytes.count))
            buffer.writeBytes(UnsafeRawBufferPointer(bytes))
        }
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
