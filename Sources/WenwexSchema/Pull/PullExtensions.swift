import WenwexSQL

/// The datasource's `extensions = [...]` in a pulled schema, as `prisma db pull` writes it when
/// the generator enables the `postgresqlExtensions` preview feature: every installed extension,
/// with `schema:` when it lives outside the database's default schema. Without the preview
/// feature the property would not validate, so the datasource is left as it was.
enum PullExtensions {
    /// `header` (formatted `generator` and `datasource` blocks) with the datasource named
    /// `datasource` listing `extensions`; an `extensions` line it had is replaced.
    static func written(_ extensions: [SQLExtension], into header: String, datasource: String) -> String {
        var lines = header.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { isOpening($0, of: datasource) }),
            let end = lines[start...].firstIndex(where: { $0.trimmingPrefixSpaces == "}" })
        else { return header }
        var body: [String] = []
        var skippingList = false
        for line in lines[(start + 1)..<end] {
            let trimmed = line.trimmingPrefixSpaces
            if skippingList {
                if trimmed.contains("]") { skippingList = false }
                continue
            }
            if trimmed.hasPrefix("extensions"),
                trimmed.dropFirst("extensions".count).trimmingPrefixSpaces.hasPrefix("=")
            {
                skippingList = trimmed.contains("[") && !trimmed.contains("]")
                continue
            }
            body.append(line)
        }
        if !extensions.isEmpty { body.append("  extensions = " + list(extensions)) }
        lines.replaceSubrange((start + 1)..<end, with: body)
        return lines.joined(separator: "\n")
    }

    /// Whether the generators of `schema` enable Prisma's extensions preview feature.
    static func enabled(in schema: PrismaSchema) -> Bool {
        !schema.previewFeatures.isDisjoint(with: ExtensionRules.previewFeatures)
    }

    /// `[citext, pgcrypto(schema: "extensions"), uuid_ossp(map: "uuid-ossp")]`.
    static func list(_ extensions: [SQLExtension]) -> String {
        PullText.list(
            extensions.map { ext in
                var arguments: [String] = []
                var name = ext.name
                if !PullNames.isValid(name) {
                    name = String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
                    arguments.append("map: \(PullText.quoted(ext.name))")
                }
                if let schema = ext.schema { arguments.append("schema: \(PullText.quoted(schema))") }
                return arguments.isEmpty ? name : "\(name)(\(arguments.joined(separator: ", ")))"
            }
        )
    }

    private static func isOpening(_ line: String, of datasource: String) -> Bool {
        let words = line.split(separator: " ")
        return words.count >= 3 && words[0] == "datasource" && words[1] == datasource && words[2] == "{"
    }
}

extension StringProtocol {
    fileprivate var trimmingPrefixSpaces: SubSequence { drop { $0 == " " || $0 == "\t" } }
}
