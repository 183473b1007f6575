import Foundation
import WenwexSQL
import WenwexSchema

/// Reading a large `schema.prisma` the way every command and server start does: parse,
/// validate, lower. The peer is reading the file itself, the one cost no schema tool avoids; the
/// total should stay a small multiple of it, and well under 100 ms for a thousand models.
enum SchemaBenchmark {
    static func run(models: Int = 1_000, repetitions: Int = 21) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wenwex-bench-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("schema.prisma").path
        let text = SchemaGenerator(models: models).text
        try text.write(toFile: path, atomically: true, encoding: .utf8)

        // Once, checked, so every phase below does real work on a valid schema.
        let check = SchemaCheck(text: text)
        guard check.isValid else {
            throw BenchmarkError(description: "the generated schema is invalid:\n\(check.renderedDiagnostics)")
        }
        let lowered = SchemaLowering.lower(check.schema, dialect: .postgres)
        guard lowered.tables.count > models else {
            throw BenchmarkError(description: "lowering gave \(lowered.tables.count) tables for \(models) models")
        }
        let fields = check.schema.models.reduce(0) { $0 + $1.fields.count }

        let clock = ContinuousClock()
        var timings: [String: [Duration]] = [:]
        var sink = 0
        func time(_ phase: String, _ body: () throws -> Int) rethrows {
            var result = 0
            timings[phase, default: []].append(try clock.measure { result = try body() })
            sink &+= result
        }
        let source = SchemaSource(path: "schema.prisma", text: text)
        let parsed = SchemaParser.parse(source).file
        let schema = PrismaSchema(files: [parsed])
        for _ in 0..<repetitions {
            try time("read") { try String(contentsOfFile: path, encoding: .utf8).utf8.count }
            time("parse") { SchemaParser.parse(source).file.items.count }
            time("validate") { SchemaValidator.validate(schema).count }
            time("lower") { SchemaLowering.lower(schema, dialect: .postgres).tables.count }
            try time("total") {
                let check = SchemaCheck(text: try String(contentsOfFile: path, encoding: .utf8))
                return SchemaLowering.lower(check.schema, dialect: .postgres).tables.count
            }
        }
        let median = { (phase: String) in timings[phase, default: []].sorted()[repetitions / 2] }
        let fastest = { (phase: String) in timings[phase, default: []].min() ?? .zero }
        let read = median("read")
        print("")
        print(
            "a \(models)-model schema (\(fields) fields, \(text.utf8.count / 1024) KiB, \(lowered.tables.count) tables), \(repetitions) runs:"
        )
        print("phase                             median ms   fastest ms   median vs reading")
        for (phase, label) in [
            ("read", "read the file"), ("parse", "parse"), ("validate", "validate"), ("lower", "lower"),
            ("total", "read + parse + validate + lower"),
        ] {
            let value = median(phase)
            let name = label.padding(toLength: 32, withPad: " ", startingAt: 0)
            let ratio = format(seconds(value) / seconds(read), width: 7, decimals: 1)
            let best = format(seconds(fastest(phase)) * 1000, width: 8, decimals: 2)
            print("\(name)  \(format(seconds(value) * 1000, width: 8, decimals: 2))     \(best)        \(ratio)×")
        }
        if sink == 42 { print("") }  // keeps every phase's result alive
    }
}

/// A realistic schema: enums, models with every scalar type, native types, `@map`s, unique
/// constraints, indexes, one-to-many relations and some implicit many-to-many ones.
struct SchemaGenerator {
    var models: Int
    var enums: Int { max(1, models / 20) }

    var text: String {
        var lines = [
            "generator client {", "  provider = \"prisma-client-js\"", "}", "",
            "datasource db {", "  provider = \"postgresql\"", "  url      = env(\"DATABASE_URL\")", "}", "",
        ]
        for index in 0..<enums { lines += enumeration(index) }
        let relations = self.relations
        for index in 0..<models { lines += model(index, relations) }
        return lines.joined(separator: "\n") + "\n"
    }

    private func enumeration(_ index: Int) -> [String] {
        var lines = ["enum Status\(index) {"]
        for value in 0..<5 { lines.append("  VALUE\(value)" + (value == 4 ? " @map(\"value_\(value)\")" : "")) }
        if index % 2 == 0 { lines += ["", "  @@map(\"status_\(index)\")"] }
        return lines + ["}", ""]
    }

    /// Who points at whom: each model after the first has a parent (1-n), every tenth one a
    /// many-to-many link to an earlier model.
    private var relations: (parent: [Int: Int], children: [Int: [Int]], links: [Int: Int], linked: [Int: [Int]]) {
        var random = SplitMix(seed: 2024)
        var parent: [Int: Int] = [:]
        var children: [Int: [Int]] = [:]
        var links: [Int: Int] = [:]
        var linked: [Int: [Int]] = [:]
        for index in 1..<max(1, models) {
            let target = Int(random.next() % UInt64(index))
            parent[index] = target
            children[target, default: []].append(index)
            if index % 10 == 0 {
                let other = Int(random.next() % UInt64(index))
                links[index] = other
                linked[other, default: []].append(index)
            }
        }
        return (parent, children, links, linked)
    }

    private func model(
        _ index: Int,
        _ relations: (parent: [Int: Int], children: [Int: [Int]], links: [Int: Int], linked: [Int: [Int]])
    ) -> [String] {
        let status = index % enums
        var lines = ["/// Model number \(index).", "model Model\(index) {"]
        lines += [
            "  id          Int       @id @default(autoincrement())",
            "  code        String    @unique @db.VarChar(64)",
            "  name        String    @db.VarChar(255)",
            "  description String?",
            "  count       Int       @default(0)",
            "  big         BigInt?",
            "  price       Decimal   @default(0) @db.Decimal(10, 2)",
            "  ratio       Float     @default(1.5)",
            "  active      Boolean   @default(true)",
            "  status      Status\(status) @default(VALUE0)",
            "  tags        String[]",
            "  data        Json?",
            "  blob        Bytes?",
            "  externalId  String    @default(uuid()) @db.Uuid @map(\"external_id\")",
            "  createdAt   DateTime  @default(now()) @map(\"created_at\")",
            "  updatedAt   DateTime  @updatedAt @map(\"updated_at\")",
        ]
        if let parent = relations.parent[index] {
            lines.append("  parentId    Int?      @map(\"parent_id\")")
            lines.append(
                "  parent      Model\(parent)? @relation(fields: [parentId], references: [id], onDelete: SetNull)"
            )
        }
        for child in relations.children[index] ?? [] { lines.append("  children\(child) Model\(child)[]") }
        // Named: the two models may also be parent and child.
        if let other = relations.links[index] {
            lines.append("  links\(other) Model\(other)[] @relation(\"Link\(index)\")")
        }
        for other in relations.linked[index] ?? [] {
            lines.append("  linked\(other) Model\(other)[] @relation(\"Link\(other)\")")
        }
        lines.append("")
        lines.append("  @@unique([name, code])")
        lines.append("  @@index([createdAt(sort: Desc)])")
        if relations.parent[index] != nil { lines.append("  @@index([parentId])") }
        if index % 3 == 0 { lines.append("  @@map(\"model_\(index)\")") }
        return lines + ["}", ""]
    }
}

/// A small deterministic generator, so every run benchmarks the same schema.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
