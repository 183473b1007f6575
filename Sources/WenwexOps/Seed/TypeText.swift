import Foundation

/// The parts of a column's type text the seeder needs: `VARCHAR(255)` has base `VARCHAR` and
/// length 255; `DECIMAL(10,2)` has precision 10 and scale 2.
struct TypeText {
    /// Upper-cased, without arguments or `[]`.
    var base: String
    var arguments: [Int]

    init(_ text: String) {
        var text = text.uppercased()
        if text.hasSuffix("[]") { text.removeLast(2) }
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            base = String(text[..<open]).trimmingCharacters(in: .whitespaces)
            arguments = text[text.index(after: open)..<close].split(separator: ",").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
        } else {
            base = text
            arguments = []
        }
    }

    /// The most characters a value may have (`VARCHAR(n)`, `CHAR(n)`); `CHAR` alone is one.
    var maxLength: Int? {
        switch base {
        case "VARCHAR", "CHARACTER VARYING": arguments.first
        case "CHAR", "CHARACTER", "BPCHAR": arguments.first ?? 1
        default: nil
        }
    }

    var precision: Int? { arguments.first }
    var scale: Int? { arguments.count > 1 ? arguments[1] : (arguments.isEmpty ? nil : 0) }
}
