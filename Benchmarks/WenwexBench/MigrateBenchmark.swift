import Foundation
import WenwexConfig
import WenwexMigrate
import WenwexSQL
import WenwexTestSupport

/// `WenwexBench migrate`: the migration engine's two costs that users feel.
///
/// 1. Planning: diff + render for a 500-table schema, from empty and for an edit touching one
///    table in ten, against the 100 ms target.
/// 2. Applying: `migrate deploy` of 200 small migrations on PostgreSQL (one connection, the
///    advisory lock, a history row inside each migration's transaction) against `psql` running
///    the same files one after another, both one `psql -1 -f` process per file (a shell loop)
///    and one `psql` session including every file in its own transaction.
enum MigrateBenchmark {
    static func run() async throws {
        try planning()
        try await applying()
    }

    // MARK: - Planning

    static func planning() throws {
        let tables = 500
        let schema = generatedSchema(tables: tables, dialect: .postgres)
        var edited = schema
        for index in stride(from: 0, to: tables, by: 10) {
            edited.tables[index].columns.append(
                SQLColumn(name: "added", type: SQLColumnType("TEXT", family: .string), isNullable: true)
            )
            edited.tables[index].columns[2].isNullable.toggle()
        }
        let empty = SQLSchema()
        var statements = 0
        let fromEmpty = median(runs: 15) {
            statements = MigrationPlanner.script(from: empty, to: schema, dialect: .postgres).statements.count
        }
        let edit = median(runs: 15) {
            _ = MigrationPlanner.script(from: schema, to: edited, dialect: .postgres)
        }
        let sqliteSchema = generatedSchema(tables: tables, dialect: .sqlite)
        let sqlite = median(runs: 15) {
            _ = MigrationPlanner.script(from: empty, to: sqliteSchema, dialect: .sqlite)
        }
        print("migration planning, \(tables) tables (\(statements) statements from empty), median of 15:")
        print(
            String(
                format: "  diff + render, empty → schema (PostgreSQL): %8.2f ms  (%.2f× the 100 ms target)",
                fromEmpty * 1000,
                fromEmpty / 0.1
            )
        )
        print(
            String(
                format: "  diff + render, 50 tables edited (PostgreSQL): %7.2f ms  (%.2f× the 100 ms target)",
                edit * 1000,
                edit / 0.1
            )
        )
        print(
            String(
                format: "  diff + render, empty → schema (SQLite):     %8.2f ms  (%.2f× the 100 ms target)",
                sqlite * 1000,
                sqlite / 0.1
            )
        )
    }

    /// Tables of eight columns of mixed types, each referencing the previous one, with a
    /// unique and a plain index.
    static func generatedSchema(tables count: Int, dialect: SQLDialect) -> SQLSchema {
        let text = SQLColumnType("TEXT", family: .string)
        let int = SQLColumnType("INTEGER", family: .int)
        let time = SQLColumnType(dialect == .postgres ? "TIMESTAMP(3)" : "DATETIME", family: .dateTime)
        var tables: [SQLTable] = []
        for index in 0..<count {
            let name = "table_\(index)"
            var columns = [
                SQLColumn(
                    name: "id",
                    type: int,
                    default: dialect == .postgres ? .sequence("\(name)_id_seq") : nil,
                    isAutoIncrement: true
                ),
                SQLColumn(name: "email", type: text),
                SQLColumn(name: "name", type: text, isNullable: true),
                SQLColumn(name: "score", type: int, default: .literal(.number("0"))),
                SQLColumn(name: "created_at", type: time, default: .currentTimestamp),
                SQLColumn(name: "bio", type: text, isNullable: true),
                SQLColumn(name: "rank", type: int, isNullable: true),
            ]
            var foreignKeys: [SQLForeignKey] = []
            if index > 0 {
                columns.append(SQLColumn(name: "parent_id", type: int))
                foreignKeys.append(
                    SQLForeignKey(
                        name: "\(name)_parent_id_fkey",
                        columns: ["parent_id"],
                        referencedTable: "table_\(index - 1)",
                        referencedColumns: ["id"],
                        onDelete: .restrict,
                        onUpdate: .cascade
                    )
                )
            }
            tables.append(
                SQLTable(
                    name: name,
                    columns: columns,
                    primaryKey: SQLPrimaryKey(name: dialect == .postgres ? "\(name)_pkey" : nil, columns: ["id"]),
                    uniques: [SQLUnique(name: "\(name)_email_key", columns: ["email"])],
                    indexes: [
                        SQLIndex(name: "\(name)_created_at_idx", columns: [.init("created_at", sort: .descending)])
                    ],
                    foreignKeys: foreignKeys
                )
            )
        }
        return SQLSchema(tables: tables)
    }

    static func median(runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }

    // MARK: - Applying

    static func applying() async throws {
        let count = 200
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wenwex-bench-migrations-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = MigrationDirectory(url: folder)
        for index in 0..<count {
            let name = String(format: "2026%010d_step_%d", index, index)
            let sql = """
                -- CreateTable
                CREATE TABLE "t\(index)" ("id" SERIAL NOT NULL, "name" TEXT NOT NULL, CONSTRAINT "t\(index)_pkey" PRIMARY KEY ("id"));

                -- CreateIndex
                CREATE INDEX "t\(index)_name_idx" ON "t\(index)"("name");

                -- AlterTable
                ALTER TABLE "t\(index)" ADD COLUMN "note" TEXT;
                """
            let sub = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            try sql.write(to: sub.appendingPathComponent("migration.sql"), atomically: true, encoding: .utf8)
        }
        let files = try directory.migrations()
        print("\nstarting PostgreSQL for migrate deploy of \(count) migrations…")
        try await PostgresCluster.withCluster { cluster in
            var wenwex: [Double] = []
            var psqlPerFile: [Double] = []
            var psqlSession: [Double] = []
            for round in 0..<3 {
                let a = try await cluster.createDatabase("deploy_wenwex_\(round)")
                wenwex.append(
                    try await timed {
                        try await DatabaseConnector.withSession(try DatabaseURL(a)) { session in
                            let result = try await MigrationDeployer(session: session, files: files).deploy()
                            precondition(result.applied.count == count)
                        }
                    }
                )
                let b = try await cluster.createDatabase("deploy_psql_files_\(round)")
                psqlPerFile.append(
                    try await timed {
                        for file in files {
                            try runPsql(url: b, arguments: ["-1", "-f", file.url.path])
                        }
                    }
                )
                let c = try await cluster.createDatabase("deploy_psql_session_\(round)")
                let driver = folder.appendingPathComponent("all.sql")
                try files.map { "BEGIN;\n\\i \($0.url.path)\nCOMMIT;" }.joined(separator: "\n")
                    .write(to: driver, atomically: true, encoding: .utf8)
                psqlSession.append(try await timed { try runPsql(url: c, arguments: ["-f", driver.path]) })
            }
            let w = wenwex.sorted()[1]
            let p = psqlPerFile.sorted()[1]
            let s = psqlSession.sorted()[1]
            print("migrate deploy of \(count) migrations on PostgreSQL (median of 3 rounds, fresh database each):")
            print(String(format: "  wenwex (MigrationDeployer, history + lock):   %8.1f ms", w * 1000))
            print(
                String(
                    format: "  psql -1 -f, one process per file:            %8.1f ms   wenwex = %.2f× this",
                    p * 1000,
                    w / p
                )
            )
            print(
                String(
                    format: "  psql, one session, each file in BEGIN/COMMIT: %7.1f ms   wenwex = %.2f× this",
                    s * 1000,
                    w / s
                )
            )
        }
    }

    static func timed(_ body: () async throws -> Void) async throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func runPsql(url: String, arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError(description: "psql \(arguments.joined(separator: " ")) failed")
        }
    }
}
