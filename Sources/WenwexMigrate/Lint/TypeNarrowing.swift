import Foundation
import WenwexSQL

/// Decides whether changing a column from one type to another can lose or reject values, and
/// says why in a few words.
///
/// Widening is safe and says nothing: a longer `VARCHAR`, `TEXT`, a larger integer, a
/// `DECIMAL` with room for at least as many digits on both sides of the point, a more precise
/// timestamp, anything to unbounded text. Everything else that changes the type is narrowing:
/// `VARCHAR(n)` to a smaller `n` or `TEXT` to `VARCHAR(n)`, `BIGINT` to `INTEGER`, `DECIMAL`
/// losing digits, float to integer, a list to a single value, and any change of family but
/// the ones above. PostgreSQL rejects some of these at deploy time (the migration then fails)
/// and silently rounds others; either way the values are not what they were.
enum TypeNarrowing {
    /// Why `old` to `new` can lose values, or `nil` when every value fits.
    static func reason(from old: SQLColumnType, to new: SQLColumnType, dialect: SQLDialect) -> String? {
        if SchemaDiffer.sameType(old, new) { return nil }
        if old.isArray, !new.isArray { return "a list becomes a single value" }
        if !old.isArray, new.isArray { return "single values may not convert to lists" }
        return reason(from: Kind(old, dialect), to: Kind(new, dialect), old: old, new: new)
    }

    private static func reason(from old: Kind, to new: Kind, old oldType: SQLColumnType, new newType: SQLColumnType)
        -> String?
    {
        let oldName = Kind.baseText(oldType)
        let newName = Kind.baseText(newType)
        switch (old, new) {
        case (_, .text(let limit)):
            guard let limit else { return nil }
            guard let longest = old.longestText, longest <= limit else {
                return "values longer than \(limit) characters do not fit"
            }
            return nil
        case (.otherString(let from), .otherString(let to)) where from == to:
            return nil
        case (.integer(let from), .integer(let to)):
            return to < from ? "values outside \(newName)'s range do not fit" : nil
        case (.integer(let bytes), .decimal(let precision, let scale)):
            guard let precision else { return nil }
            let digits = Kind.decimalDigits(ofIntegerBytes: bytes)
            return precision - scale >= digits ? nil : "values with more than \(precision - scale) digits do not fit"
        case (.integer(let bytes), .float(let mantissa)):
            return Kind.magnitudeBits(ofIntegerBytes: bytes) <= mantissa ? nil : "large values lose precision"
        case (.boolean, .integer), (.boolean, .decimal):
            return nil
        case (.float(let from), .float(let to)):
            return to < from ? "values lose precision" : nil
        case (.float, .integer):
            return "fractions are rounded away and large values do not fit"
        case (.float, .decimal):
            return "values lose precision, and large ones may not fit"
        case (.decimal(let fromPrecision, let fromScale), .decimal(let toPrecision, let toScale)):
            guard let toPrecision else { return nil }
            guard let fromPrecision else {
                return "values may not fit in \(toPrecision) digits with \(toScale) decimal places"
            }
            if toScale < fromScale { return "values are rounded to \(toScale) decimal places" }
            if toPrecision - toScale < fromPrecision - fromScale {
                return "values with more than \(toPrecision - toScale) digits before the point do not fit"
            }
            return nil
        case (.decimal, .integer):
            return "fractions are rounded away"
        case (.decimal, .float):
            return "values lose precision"
        case (
            .dateTime(let fromDate, let fromTime, let fromPrecision), .dateTime(let toDate, let toTime, let toPrecision)
        ):
            if fromDate, !toDate { return "the date is lost" }
            if fromTime, !toTime { return "the time of day is lost" }
            if fromTime, toPrecision < fromPrecision {
                return "fractions of a second beyond \(toPrecision) digits are rounded away"
            }
            return nil
        case (.json, .json), (.bytes, .bytes):
            return nil
        case (.enumeration(let from), .enumeration(let to)) where from == to:
            return nil
        default:
            return "\(oldName) values may not convert to \(newName)"
        }
    }

    /// A type reduced to what decides whether values fit.
    private enum Kind {
        /// Character strings; `nil` limit for unbounded (`TEXT`, `VARCHAR` without a length).
        case text(limit: Int?)
        /// `UUID`, `INET`, `XML`, `BIT`: strings with a format of their own.
        case otherString(String)
        case integer(bytes: Int)
        case float(mantissaBits: Int)
        /// `nil` precision for unbounded `NUMERIC`.
        case decimal(precision: Int?, scale: Int)
        case boolean
        case dateTime(hasDate: Bool, hasTime: Bool, precision: Int)
        case json
        case bytes
        case enumeration(String)
        case other(String)

        init(_ type: SQLColumnType, _ dialect: SQLDialect) {
            let base = Self.baseText(type)
            let arguments = Self.arguments(type)
            switch type.family {
            case .string:
                switch base {
                case "TEXT", "CITEXT", "CLOB": self = .text(limit: nil)
                case "VARCHAR", "CHARACTER VARYING": self = .text(limit: arguments.first)
                case "CHAR", "CHARACTER", "BPCHAR": self = .text(limit: arguments.first ?? 1)
                default: self = .otherString(base + arguments.map { "(\($0))" }.joined())
                }
            case .int, .bigInt:
                if type.family == .bigInt {
                    self = .integer(bytes: 8)
                } else {
                    self = .integer(bytes: Self.integerBytes[base] ?? 4)
                }
            case .float:
                // SQLite's REAL is an 8-byte double; PostgreSQL's is 4 bytes.
                let single = base == "FLOAT4" || (base == "REAL" && dialect == .postgres)
                self = .float(mantissaBits: single ? 24 : 53)
            case .decimal:
                if base == "MONEY" {
                    self = .decimal(precision: 19, scale: 2)
                } else {
                    self = .decimal(precision: arguments.first, scale: arguments.count > 1 ? arguments[1] : 0)
                }
            case .boolean:
                self = .boolean
            case .dateTime:
                let precision = arguments.first ?? 6
                switch base {
                case "DATE": self = .dateTime(hasDate: true, hasTime: false, precision: 0)
                case "TIME", "TIMETZ": self = .dateTime(hasDate: false, hasTime: true, precision: precision)
                default: self = .dateTime(hasDate: true, hasTime: true, precision: precision)
                }
            case .json:
                self = .json
            case .bytes:
                self = .bytes
            case .enum(let name):
                self = .enumeration(name)
            case .unsupported:
                self = .other(type.text)
            }
        }

        /// The most characters a value's text can have, when that is known.
        var longestText: Int? {
            switch self {
            case .text(let limit): limit
            case .otherString(let base) where base == "UUID": 36
            case .integer(let bytes): Self.decimalDigits(ofIntegerBytes: bytes) + 1
            case .boolean: 5
            default: nil
            }
        }

        private static let integerBytes = [
            "TINYINT": 1, "SMALLINT": 2, "INT2": 2, "INTEGER": 4, "INT": 4, "INT4": 4, "MEDIUMINT": 4, "OID": 4,
            "BIGINT": 8, "INT8": 8,
        ]

        /// Decimal digits the largest value of an integer type has: 32767 has 5.
        static func decimalDigits(ofIntegerBytes bytes: Int) -> Int {
            switch bytes {
            case 1: 3
            case 2: 5
            case 4: 10
            default: 19
            }
        }

        /// Bits of magnitude an integer type has (its width without the sign bit): a float
        /// with at least as many mantissa bits holds every value exactly.
        static func magnitudeBits(ofIntegerBytes bytes: Int) -> Int {
            bytes * 8 - 1
        }

        /// The type's name without arguments or `[]`, upper case: `VARCHAR`, `DOUBLE PRECISION`.
        static func baseText(_ type: SQLColumnType) -> String {
            var text = Substring(type.text)
            while text.hasSuffix("[]") { text = text.dropLast(2) }
            if let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") {
                text = text[..<open] + text[text.index(after: close)...]
            }
            return text.split(separator: " ").joined(separator: " ").uppercased()
        }

        /// The numbers in the type's parentheses: `DECIMAL(10,2)` has `[10, 2]`.
        static func arguments(_ type: SQLColumnType) -> [Int] {
            guard let open = type.text.firstIndex(of: "("), let close = type.text[open...].firstIndex(of: ")") else {
                return []
            }
            return type.text[type.text.index(after: open)..<close].split(separator: ",").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
        }
    }
}
