import Testing
import WenwexSchema

@Suite("Formatter")
struct FormatterTests {
    static let corpus =
        Fixtures.files(in: "valid").map { "valid/\($0)" } + Fixtures.files(in: "format").map { "format/\($0)" }
        + Fixtures.files(in: "multifile/valid").map { "multifile/valid/\($0)" }

    @Test(arguments: corpus)
    func formattingIsIdempotent(_ path: String) throws {
        let once = try SchemaFormatter.format(try Fixtures.source(path))
        let twice = try SchemaFormatter.format(SchemaSource(path: path, text: once))
        #expect(once == twice)
    }

    @Test(arguments: Fixtures.files(in: "valid").map { "valid/\($0)" })
    func theValidCorpusIsAlreadyCanonical(_ path: String) throws {
        let source = try Fixtures.source(path)
        #expect(try SchemaFormatter.format(source) == source.text)
    }

    @Test func messyInputBecomesCanonical() throws {
        let formatted = try SchemaFormatter.format(try Fixtures.source("format/messy.prisma"))
        #expect(formatted == (try Fixtures.text("format/messy.expected.prisma")))
    }

    @Test func formattingKeepsTheSchemaMeaning() throws {
        let source = try Fixtures.source("valid/marketplace.prisma")
        let reformatted = SchemaSource(path: source.path, text: try SchemaFormatter.format(source))
        let before = SchemaCheck(sources: [source]).schema.blocks.map {
            "\($0.name.name):\($0.fields.map(\.name.name))"
        }
        let after = SchemaCheck(sources: [reformatted]).schema.blocks.map {
            "\($0.name.name):\($0.fields.map(\.name.name))"
        }
        #expect(before == after)
    }

    @Test func refusesToFormatAFileWithSyntaxErrors() {
        #expect(throws: SchemaFormatter.SyntaxErrors.self) {
            try SchemaFormatter.format(SchemaSource(path: "x.prisma", text: "model A {\n  id Int @id(\n}\n"))
        }
    }

    @Test func alignsCommentsAndKeepsThemInPlace() throws {
        let text = "model A {\n  // first\n  id Int @id // key\n  longName String\n}\n"
        let formatted = try SchemaFormatter.format(SchemaSource(path: "a.prisma", text: text))
        #expect(
            formatted == """
                model A {
                  // first
                  id       Int    @id // key
                  longName String
                }

                """
        )
    }
}
