import Testing
import WenwexSchema

/// The invalid schemas of the corpus, each with the exact diagnostics expected in the
/// `.expected` file next to it (`severity line:column message`, errors before warnings).
@Suite("Validation fixtures")
struct ValidationFixtureTests {
    static let invalid = Fixtures.files(in: "invalid")
    static let valid = Fixtures.files(in: "valid")

    @Test func theCorpusIsComplete() {
        #expect(Self.invalid.count >= 13)
        #expect(Self.valid.contains("marketplace.prisma"))
    }

    @Test(arguments: invalid)
    func invalidSchemaReportsExactlyTheExpectedDiagnostics(_ name: String) throws {
        let check = SchemaCheck(sources: [try Fixtures.source("invalid/\(name)")])
        let actual = check.diagnostics.ordered.map { "\($0.severity.rawValue) \($0.line):\($0.column) \($0.message)" }
        let expectedFile = "invalid/" + name.replacingOccurrences(of: ".prisma", with: ".expected")
        let expected = try Fixtures.text(expectedFile).split(separator: "\n").map(String.init)
        #expect(actual == expected)
        #expect(!check.isValid)
        #expect(check.diagnostics.allSatisfy { $0.file == name })
    }

    @Test(arguments: valid)
    func validSchemaHasNoErrors(_ name: String) throws {
        let check = SchemaCheck(sources: [try Fixtures.source("valid/\(name)")])
        #expect(check.errors.isEmpty, "\(check.renderedDiagnostics)")
    }

    @Test func compositeTypesOnlyWarn() throws {
        let check = SchemaCheck(sources: [try Fixtures.source("valid/every-construct.prisma")])
        #expect(check.isValid)
        #expect(check.warnings.map(\.location) == ["every-construct.prisma:70:6"])
    }

    @Test func multiFileSchemaResolvesModelsAcrossFiles() throws {
        let sources = try SchemaLoader.load(path: Fixtures.url("multifile/valid").path)
        #expect(sources.map { $0.path.split(separator: "/").last! } == ["main.prisma", "post.prisma", "tag.prisma"])
        let check = SchemaCheck(sources: sources)
        #expect(check.diagnostics.isEmpty, "\(check.renderedDiagnostics)")
        #expect(check.schema.models.map(\.name.name) == ["User", "Post", "Tag"])
    }

    @Test func multiFileDiagnosticsNameTheirFile() throws {
        let base = Fixtures.url("multifile").path
        let sources = try SchemaLoader.load(path: Fixtures.url("multifile/broken").path, relativeTo: base)
        let check = SchemaCheck(sources: sources)
        #expect(check.errors.map(\.location) == ["broken/post.prisma:4:38", "broken/post.prisma:5:12"])
    }

    @Test func loadingAMissingPathFails() {
        #expect(throws: SchemaLoader.LoadError.self) {
            try SchemaLoader.load(path: Fixtures.url("no-such-schema.prisma").path)
        }
    }

    @Test func ambiguousSelfRelationsNeedNames() {
        let check = SchemaCheck(
            text: """
                model Node {
                  id       Int    @id
                  parentId Int?
                  parent   Node?  @relation(fields: [parentId], references: [id])
                  children Node[]
                  sibling  Node?
                }
                """
        )
        #expect(check.errors.map(\.location) == ["schema.prisma:6:3"])
        #expect(check.errors.first?.message.contains("Ambiguous self relation detected.") == true)
    }

    @Test func namedSelfRelationIsValid() throws {
        let check = SchemaCheck(sources: [try Fixtures.source("valid/marketplace.prisma")])
        let user = try #require(check.schema.model("User"))
        #expect(
            user.field("referredBy")?.attribute("relation")?.argument("name", position: 0)?.value.stringValue
                == "UserReferrals"
        )
        #expect(check.diagnostics.isEmpty)
    }

    @Test func syntaxErrorsSkipValidation() {
        let check = SchemaCheck(text: "model A {\n  id Int @id\n  name Strin @default(\n}\n")
        #expect(check.errors.count == 1)
        #expect(check.errors.first?.message.hasPrefix("Expected a value") == true)
    }
}
