import Foundation
import Testing
import WenwexTestSupport

@Suite("wenwex schema validate and format")
struct SchemaCommandTests {
    private static let fixtures = WenwexCLI.repositoryRoot.appendingPathComponent("Tests/WenwexSchemaTests/Fixtures")

    /// A project whose `prisma/schema.prisma` is a copy of `fixture`.
    private func project(with fixture: String) throws -> WenwexCLI {
        let cli = try WenwexCLI()
        let prisma = cli.project.appendingPathComponent("prisma")
        try FileManager.default.createDirectory(at: prisma, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent(fixture),
            to: prisma.appendingPathComponent("schema.prisma")
        )
        return cli
    }

    @Test func validSchemaPassesAndInvalidOneListsEveryErrorWithItsPosition() async throws {
        let valid = try project(with: "valid/marketplace.prisma")
        defer { valid.remove() }
        let ok = try await valid.run("schema", "validate")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("is valid"))

        let invalid = try project(with: "invalid/relation-arguments.prisma")
        defer { invalid.remove() }
        let failed = try await invalid.run("schema", "validate")
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("--> prisma/schema.prisma:19:38"))
        #expect(failed.stderr.contains("Invalid referential action: `Explode`"))
        #expect(failed.stderr.contains("the schema is not valid"))
    }

    @Test func formatCheckWritesNothingAndFormatIsIdempotent() async throws {
        let cli = try project(with: "format/messy.prisma")
        defer { cli.remove() }
        let path = cli.project.appendingPathComponent("prisma/schema.prisma")
        let before = try String(contentsOf: path, encoding: .utf8)

        let check = try await cli.run("schema", "format", "--check")
        #expect(check.status == 1)
        #expect(try String(contentsOf: path, encoding: .utf8) == before)

        let format = try await cli.run("schema", "format")
        #expect(format.status == 0, "\(format.stderr)")
        let formatted = try String(contentsOf: path, encoding: .utf8)
        #expect(formatted != before)
        #expect(
            formatted
                == (try String(
                    contentsOf: Self.fixtures.appendingPathComponent("format/messy.expected.prisma"),
                    encoding: .utf8
                ))
        )

        let again = try await cli.run("schema", "format", "--check")
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    }

    @Test func missingSchemaIsABadUsageError() async throws {
        let cli = try WenwexCLI()
        defer { cli.remove() }
        let outcome = try await cli.run("schema", "validate")
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("prisma/schema.prisma"))
    }
}
