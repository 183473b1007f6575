import Testing
import WenwexSchema

/// Names that clash in the database though the schema's names differ.
@Suite("Database names")
struct DatabaseNameRuleTests {
    @Test func anIndexNameUsedByTwoModelsIsReportedOnBothOnPostgres() {
        let text = """
            datasource db {
              provider = "postgresql"
            }

            model A {
              id   Int    @id
              name String

              @@index([name], map: "by_name")
            }

            model B {
              id   Int    @id
              name String

              @@index([name], map: "by_name")
            }
            """
        let check = SchemaCheck(text: text)
        #expect(check.errors.map(\.line) == [9, 16])
        #expect(check.errors.allSatisfy { $0.message.contains("`by_name` has to be unique") })
        // Only PostgreSQL's namespace is checked so far (SQLite's index names are per database too).
        let sqlite = SchemaCheck(text: text.replacingOccurrences(of: "postgresql", with: "sqlite"))
        #expect(sqlite.isValid, "\(sqlite.renderedDiagnostics)")
    }

    @Test func twoEnumValuesMappedToOneLabelAreReported() {
        let check = SchemaCheck(
            text: """
                enum Language {
                  EN_US @map("en")
                  EN_GB @map("en")
                }
                """
        )
        #expect(check.errors.map(\.line) == [3])
        #expect(check.errors.first?.message.contains(#"`@map`'d value "en" is already defined"#) == true)
    }
}
