import Foundation

/// The `/// @sanitize(rule)` lines of a schema's fields: a team can write how a column is
/// anonymised in staging clones next to the field itself, where a reviewer sees it.
public enum SanitizeAnnotations {
    /// One annotated column, named as the database names it (`@@map` / `@map` applied).
    public struct Annotation: Sendable, Hashable {
        public var table: String
        public var column: String
        /// The text inside the parentheses (`email`, `date_shift(30)`).
        public var rule: String

        public init(table: String, column: String, rule: String) {
            self.table = table
            self.column = column
            self.rule = rule
        }
    }

    /// Every annotated field of every model.
    public static func read(_ schema: PrismaSchema) -> [Annotation] {
        var annotations: [Annotation] = []
        for model in schema.models {
            let table = LoweringContext.mapped(model.blockAttribute(.map)) ?? model.name.name
            for field in model.fields {
                for line in field.documentation {
                    let text = line.trimmingCharacters(in: .whitespaces)
                    guard text.hasPrefix("@sanitize("), text.hasSuffix(")") else { continue }
                    let rule = String(text.dropFirst("@sanitize(".count).dropLast())
                    let column = LoweringContext.mapped(field.attribute(.map)) ?? field.name.name
                    annotations.append(Annotation(table: table, column: column, rule: rule))
                }
            }
        }
        return annotations
    }
}
