import Testing
import WenwexSchema

@Suite("Diagnostic rendering")
struct DiagnosticRendererTests {
    @Test func rendersACaretSnippetLikeRustcAndPrisma() {
        let lines =
            ["datasource db {", "  provider = \"sqlite\"", "}", ""]
            + Array(repeating: "", count: 4)
            + ["model User {", "  id    Int @id", "  email String", "  name  Strin", "}"]
        let source = SchemaSource(path: "prisma/schema.prisma", text: lines.joined(separator: "\n"))
        let check = SchemaCheck(sources: [source])
        #expect(
            check.renderedDiagnostics == """
                error: Type "Strin" is neither a built-in type, nor refers to another model, composite type, or enum.
                  --> prisma/schema.prisma:12:9
                   |
                12 |   name  Strin
                   |         ^^^^^
                   = help: did you mean "String"?
                """
        )
    }

    @Test func errorsComeBeforeWarnings() {
        let diagnostics: [SchemaDiagnostic] = [
            SchemaDiagnostic(severity: .warning, file: "a.prisma", line: 1, column: 1, message: "w"),
            SchemaDiagnostic(severity: .error, file: "b.prisma", line: 9, column: 1, message: "e2"),
            SchemaDiagnostic(severity: .error, file: "b.prisma", line: 2, column: 4, message: "e1"),
        ]
        #expect(diagnostics.ordered.map(\.message) == ["e1", "e2", "w"])
        #expect(diagnostics.hasErrors)
        #expect(!Array(diagnostics.prefix(1)).hasErrors)
    }

    @Test func withoutSourceThereIsNoSnippet() {
        let diagnostic = SchemaDiagnostic(file: "gone.prisma", line: 3, column: 2, message: "m", hint: "h")
        #expect(DiagnosticRenderer(sources: []).render(diagnostic) == "error: m\n --> gone.prisma:3:2\n  = help: h")
    }
}
