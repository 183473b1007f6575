import Foundation
import WenwexHummingbird

/// Collects every problem with a request's fields so the client hears about all of them at
/// once, then throws a single validation `Problem`.
struct FieldErrors {
    private(set) var errors: [Problem.FieldError] = []

    mutating func add(_ field: String, _ message: String) {
        errors.append(.init(field: field, message: message))
    }

    func hasError(_ field: String) -> Bool {
        errors.contains { $0.field == field }
    }

    /// The value, or a "required" error for `field` (unless it already has an error, such as
    /// a wrong type).
    mutating func require<Value>(_ value: Value?, _ field: String) -> Value? {
        if value == nil, !hasError(field) { add(field, "is required") }
        return value
    }

    /// Checks a text field's length in characters after trimming; returns the trimmed text.
    mutating func text(_ value: String?, _ field: String, required: Bool, max: Int, min: Int = 1) -> String? {
        guard let value else {
            if required, !hasError(field) { add(field, "is required") }
            return nil
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count < min {
            add(field, min == 1 ? "must not be empty" : "must be at least \(min) characters")
        } else if trimmed.count > max {
            add(field, "must be at most \(max) characters")
        }
        return trimmed
    }

    func throwIfAny() throws(Problem) {
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}
