import Foundation

/// Converts the text of one variable to its declared type, or says why it cannot.
enum ValueReader {
    struct Failure: Error {
        var reason: String
    }

    static func read(_ text: String, as type: VariableType) -> Result<TypedValue, Failure> {
        let value = text.trimmingCharacters(in: .whitespaces)
        switch type {
        case .string(let minLength, let maxLength, let pattern):
            if let minLength, text.count < minLength {
                return .failure(.init(reason: "it has \(text.count) characters"))
            }
            if let maxLength, text.count > maxLength {
                return .failure(.init(reason: "it has \(text.count) characters"))
            }
            if let pattern {
                guard let regex = try? Regex(pattern) else {
                    return .failure(
                        .init(reason: "the schema's pattern /\(pattern)/ is not a valid regular expression")
                    )
                }
                guard (try? regex.wholeMatch(in: text)) != nil else {
                    return .failure(.init(reason: "it does not match the pattern"))
                }
            }
            return .success(.string(text))
        case .secret(let minLength):
            if text.isEmpty { return .failure(.init(reason: "it is empty")) }
            if let minLength, text.count < minLength {
                return .failure(.init(reason: "it has only \(text.count) characters"))
            }
            return .success(.string(text))
        case .int(let min, let max):
            guard let number = Int(value) else { return .failure(.init(reason: "it is not an integer")) }
            if let min, number < min { return .failure(.init(reason: "it is below \(min)")) }
            if let max, number > max { return .failure(.init(reason: "it is above \(max)")) }
            return .success(.int(number))
        case .port:
            guard let number = Int(value), (1...65_535).contains(number) else {
                return .failure(.init(reason: Int(value) == nil ? "it is not a number" : "it is out of range"))
            }
            return .success(.int(number))
        case .bool:
            switch value.lowercased() {
            case "true", "1", "yes", "on": return .success(.bool(true))
            case "false", "0", "no", "off": return .success(.bool(false))
            default: return .failure(.init(reason: "it is not a boolean"))
            }
        case .enumeration(let allowed):
            guard allowed.contains(value) else {
                return .failure(.init(reason: "it is not one of the allowed values"))
            }
            return .success(.string(value))
        case .duration(let min, let max):
            guard let duration = DurationFormat.parse(value) else {
                return .failure(.init(reason: "it is not a duration with a unit"))
            }
            if let min, duration < min {
                return .failure(.init(reason: "it is shorter than \(DurationFormat.format(min))"))
            }
            if let max, duration > max {
                return .failure(.init(reason: "it is longer than \(DurationFormat.format(max))"))
            }
            return .success(.duration(duration))
        case .url(let schemes):
            return readURL(value, schemes: schemes)
        case .list(let element, let separator):
            if value.isEmpty { return .success(.list([])) }
            var items: [TypedValue] = []
            for (offset, item) in value.components(separatedBy: separator).enumerated() {
                switch read(item.trimmingCharacters(in: .whitespaces), as: element) {
                case .success(let typed): items.append(typed)
                case .failure(let failure):
                    return .failure(.init(reason: "item \(offset + 1) is not valid (\(failure.reason))"))
                }
            }
            return .success(.list(items))
        }
    }

    private static func readURL(_ value: String, schemes: [String]) -> Result<TypedValue, Failure> {
        guard let colon = value.firstIndex(of: ":"), colon != value.startIndex else {
            return .failure(.init(reason: "it has no scheme"))
        }
        let scheme = value[..<colon].lowercased()
        if !schemes.isEmpty, !schemes.map({ $0.lowercased() }).contains(scheme) {
            return .failure(.init(reason: "its scheme is \(scheme):"))
        }
        if value[colon...].hasPrefix("://") {
            guard let components = URLComponents(string: value) else {
                return .failure(.init(reason: "it is not a valid URL (check the port and percent-encoding)"))
            }
            let hasHost = !(components.host ?? "").isEmpty
            let hasSocketHost = components.queryItems?.contains(where: { $0.name == "host" }) == true
            guard hasHost || hasSocketHost else {
                return .failure(.init(reason: "it has no host"))
            }
        }
        return .success(.url(value))
    }
}
