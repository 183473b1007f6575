import Foundation

/// Any JSON value, decoded without a schema so that a field of the wrong type becomes one
/// field error among all the others instead of stopping the decoding at the first.
enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .number(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "true or false"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// The fields of a JSON object, read with the type each handler expects; every mismatch is
/// recorded in `FieldErrors` under the field's path (`items[0].quantity`).
struct JSONFields: Sendable {
    let values: [String: JSONValue]
    /// The path of this object in the body (`""` for the body itself).
    let path: String

    init(_ values: [String: JSONValue], path: String = "") {
        self.values = values
        self.path = path
    }

    func field(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// Whether the key is present at all, even as `null` (`null` clears an optional field).
    func contains(_ key: String) -> Bool {
        values[key] != nil
    }

    /// The string at `key`; `nil` when absent or `null`.
    func string(_ key: String, _ errors: inout FieldErrors) -> String? {
        switch values[key] {
        case nil, .null: return nil
        case .string(let text): return text
        case .some(let other):
            errors.add(field(key), "must be a string, not \(other.kind)")
            return nil
        }
    }

    /// The whole number at `key`; `nil` when absent or `null`.
    func int(_ key: String, _ errors: inout FieldErrors) -> Int? {
        switch values[key] {
        case nil, .null: return nil
        case .number(let number):
            var rounded = Decimal()
            var copy = number
            NSDecimalRound(&rounded, &copy, 0, .plain)
            guard rounded == number, let value = Int(exactly: NSDecimalNumber(decimal: number).int64Value),
                Decimal(value) == number
            else {
                errors.add(field(key), "must be a whole number")
                return nil
            }
            return value
        case .some(let other):
            errors.add(field(key), "must be a whole number, not \(other.kind)")
            return nil
        }
    }

    /// An amount given as a decimal string (`"12.50"`) or a number (`12.5`); the text of it,
    /// for `Money(text:)` to judge.
    func amountText(_ key: String, _ errors: inout FieldErrors) -> String? {
        switch values[key] {
        case nil, .null: return nil
        case .string(let text): return text
        case .number(let number): return "\(number)"
        case .some(let other):
            errors.add(field(key), "must be an amount like \"12.50\", not \(other.kind)")
            return nil
        }
    }

    /// The objects of the array at `key`; elements that are not objects are reported.
    func objects(_ key: String, _ errors: inout FieldErrors) -> [JSONFields]? {
        switch values[key] {
        case nil, .null: return nil
        case .array(let elements):
            var objects: [JSONFields] = []
            for (index, element) in elements.enumerated() {
                if case .object(let values) = element {
                    objects.append(JSONFields(values, path: "\(field(key))[\(index)]"))
                } else {
                    errors.add("\(field(key))[\(index)]", "must be an object, not \(element.kind)")
                }
            }
            return objects
        case .some(let other):
            errors.add(field(key), "must be an array, not \(other.kind)")
            return nil
        }
    }
}
