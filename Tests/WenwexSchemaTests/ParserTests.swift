import Testing
import WenwexSchema

@Suite("Parser")
struct ParserTests {
    private func parse(_ text: String) -> (SchemaFile, [SchemaDiagnostic]) {
        let (file, diagnostics) = SchemaParser.parse(SchemaSource(path: "schema.prisma", text: text))
        return (file, diagnostics)
    }

    @Test func fieldsCarryTypesModifiersAndPositions() throws {
        let (file, diagnostics) = parse(
            """
            model Post {
              id    Int      @id @default(autoincrement())
              title String?  @db.VarChar(255)
              tags  String[]
              area  Unsupported("polygon")?
            }
            """
        )
        #expect(diagnostics.isEmpty)
        let post = try #require(file.blocks.first)
        #expect(post.kind == .model)
        #expect(post.fields.map(\.type.description) == ["Int", "String?", "String[]", "Unsupported(\"polygon\")?"])
        let title = try #require(post.field("title"))
        #expect(title.name.range.start == SourceLocation(line: 3, column: 3, offset: title.name.range.start.offset))
        #expect(title.type.nameRange.start.column == 9)
        #expect(title.type.arity == .optional)
        let native = try #require(title.attribute("db.VarChar"))
        #expect(native.arguments?.first?.value.kind == .number("255"))
        #expect(native.range.start.column == 18)
        #expect(native.range.end.column == 34)
        #expect(post.field("area")?.type.unsupported == "polygon")
    }

    @Test func attributeArgumentsOfEveryShape() throws {
        let (file, diagnostics) = parse(
            """
            model Item {
              id      String @id @default(dbgenerated("gen_random_uuid()"))
              ownerId Int
              owner   User   @relation("Owned", fields: [ownerId], references: [id], onDelete: Cascade)
              @@index([title(sort: Desc), createdAt], type: BTree)
              @@unique([slug(length: 10)], map: "item_slug")
            }
            """
        )
        #expect(diagnostics.isEmpty)
        let item = try #require(file.blocks.first)
        let relation = try #require(item.field("owner")?.attribute("relation"))
        #expect(relation.argument("name", position: 0)?.value.stringValue == "Owned")
        #expect(relation.argument("fields")?.value.elements.map(\.description) == ["ownerId"])
        #expect(relation.argument("onDelete")?.value.kind == .constant("Cascade"))
        let index = try #require(item.blockAttributes(named: "index").first)
        #expect(index.description == "@@index([title(sort: Desc), createdAt], type: BTree)")
        let unique = try #require(item.blockAttributes(named: "unique").first)
        #expect(unique.argument("map")?.value.stringValue == "item_slug")
        let dbgenerated = item.field("id")?.attribute("default")?.argument("value", position: 0)?.value
        #expect(dbgenerated?.description == #"dbgenerated("gen_random_uuid()")"#)
    }

    @Test func datasourceWithoutURLAndGeneratorProperties() throws {
        let (file, diagnostics) = parse(
            """
            datasource db {
              provider = "postgresql"
              schemas  = ["public",
                          "auth"]
            }

            generator client {
              provider = "prisma-client-js"
              output   = "../generated"
            }
            """
        )
        #expect(diagnostics.isEmpty)
        let datasource = try #require(file.blocks.first)
        #expect(datasource.property("url") == nil)
        #expect(datasource.property("schemas")?.value.elements.compactMap(\.stringValue) == ["public", "auth"])
        #expect(file.blocks.last?.property("output")?.value.stringValue == "../generated")
    }

    @Test func documentationAttachesToTheNextDeclaration() throws {
        let (file, _) = parse(
            """
            /// A shopper.
            /// Buys things.
            model User {
              // not documentation
              /// The login.
              email String @id
            }
            """
        )
        let user = try #require(file.blocks.first)
        #expect(user.documentation == [" A shopper.", " Buys things."])
        #expect(user.field("email")?.documentation == [" The login."])
        #expect(
            user.members.first == .comment(Comment(text: " not documentation", range: user.members.first.commentRange!))
        )
    }

    @Test func enumsViewsAndCompositeTypes() throws {
        let (file, diagnostics) = parse(
            """
            enum Role {
              USER
              ADMIN @map("admin")
              @@map("role")
            }
            view Totals {
              id Int @unique
            }
            type Address {
              city String
            }
            """
        )
        #expect(diagnostics.isEmpty)
        #expect(file.blocks.map(\.kind) == [.enum, .view, .type])
        #expect(file.blocks[0].enumValues.map(\.name.name) == ["USER", "ADMIN"])
        #expect(file.blocks[0].enumValues[1].attributes.first?.description == #"@map("admin")"#)
        #expect(file.blocks[0].blockAttributes.first?.description == #"@@map("role")"#)
    }

    @Test func recoversAndReportsEverySyntaxError() {
        let (file, diagnostics) = parse(
            """
            model A {
              id Int @id
              broken
              name String @default(
            }
            whatever
            model B {
              id Int @id
            }
            """
        )
        #expect(diagnostics.map(\.location) == ["schema.prisma:3:3", "schema.prisma:4:24", "schema.prisma:6:1"])
        #expect(file.blocks.map(\.name.name) == ["A", "B"])
        #expect(file.blocks[0].fields.map(\.name.name) == ["id"])
    }

    @Test func unterminatedStringsAndOptionalListsAreErrors() {
        let (_, diagnostics) = parse("model A {\n  id Int @id @map(\"x)\n  b Int[]?\n}\n")
        #expect(
            diagnostics.map(\.message) == [
                "This string is missing its closing `\"`.",
                "Optional lists are not supported. Use either `Type[]` or `Type?`.",
            ]
        )
    }
}

extension Optional where Wrapped == Block.Member {
    /// The range of a comment member, for building the expected value.
    fileprivate var commentRange: SourceRange? {
        if case .comment(let comment) = self { return comment.range }
        return nil
    }
}
