/// The value of one dotenv assignment, kept as literal text and `${VAR}` references until every
/// layer is loaded, so a reference sees the value that wins across all layers.
public struct DotenvValue: Sendable, Hashable {
    /// One piece of a value: text taken as written, or a reference expanded once every layer is loaded.
    public enum Segment: Sendable, Hashable {
        /// Text with its quotes removed and escapes applied; never expanded.
        case literal(String)
        /// `$NAME`, `${NAME}`, `${NAME:-fallback}` (fallback when unset or empty) or
        /// `${NAME-fallback}` (fallback when unset).
        case reference(name: String, fallback: Fallback?)
    }

    /// What a `${NAME:-fallback}` or `${NAME-fallback}` reference uses instead of the variable's value.
    public struct Fallback: Sendable, Hashable {
        /// The fallback as written between the operator and `}`; used literally (references in it are not
        /// expanded).
        public var text: String
        /// `true` for `:-`, which also replaces an empty value.
        public var appliesToEmpty: Bool
    }

    /// The value's pieces in order; ``expanded(_:)`` joins them.
    public var segments: [Segment]

    /// Creates a value from parsed pieces.
    public init(segments: [Segment]) {
        self.segments = segments
    }

    /// Creates a value that is only literal text: how process-environment and `wenwex.toml` values
    /// enter the layers, so a `$` in them is never expanded.
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
