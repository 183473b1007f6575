/// The value of one dotenv assignment, kept as literal text and `${VAR}` references until every
/// layer is loaded, so a reference sees the value that wins across all layers.
public struct DotenvValue: Sendable, Hashable {
    public enum Segment: Sendable, Hashable {
        case literal(String)
        /// `$NAME`, `${NAME}`, `${NAME:-fallback}` (fallback when unset or empty) or
        /// `${NAME-fallback}` (fallback when unset).
        case reference(name: String, fallback: Fallback?)
    }

    public struct Fallback: Sendable, Hashable {
        public var text: String
        /// `true` for `:-`, which also replaces an empty value.
        public var appliesToEmpty: Bool
    }

    public var segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = segments
    }

    public init(literal: String) {
        self.segments = [.literal(literal)]
    }

    /// The names this value refers to.
    public var references: [String] {
        segments.compactMap {
            if case .reference(let name, _) = $0 { name } else { nil }
        }
    }

    /// Joins the segments, asking `lookup` for each reference (`nil` means unset).
    public func expanded(_ lookup: (String) -> String?) -> String {
        var result = ""
        for segment in segments {
            switch segment {
            case .literal(let text):
                result += text
            case .reference(let name, let fallback):
                let value = lookup(name)
                if let fallback, value == nil || (fallback.appliesToEmpty && value == "") {
                    result += fallback.text
                } else {
                    result += value ?? ""
                }
            }
        }
        return result
    }
}
