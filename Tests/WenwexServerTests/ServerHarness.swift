import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import WenwexConfig
import WenwexMigrate
import WenwexRouting
import WenwexSQL
import WenwexServer

/// The repository's marketplace example, which the server tests run against.
enum Marketplace {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/marketplace")

    static func migrations(_ dialect: SQLDialect) throws -> [MigrationFile] {
        let folder = dialect == .sqlite ? "prisma/migrations-sqlite" : "prisma/migrations"
        return try MigrationDirectory(url: root.appendingPathComponent(folder)).migrations()
    }

    /// Applies `files` to the database at `url`.
    static func deploy(_ files: [MigrationFile], to url: DatabaseURL) async throws {
        try await DatabaseConnector.withSession(url, logger: quietLogger) { session in
            _ = try await MigrationDeployer(session: session, files: files).deploy()
        }
    }
}

/// A migrated marketplace database in `directory` (`dev.db`) and its router.
func migratedSQLite(in directory: URL) async throws -> (router: SQLiteRouter, migrations: [MigrationFile]) {
    let path = directory.appendingPathComponent("dev.db").path
    let migrations = try Marketplace.migrations(.sqlite)
    try await Marketplace.deploy(migrations, to: try DatabaseURL("file:\(path)"))
    return (try await SQLiteRouter.open(path: path, logger: quietLogger), migrations)
}

/// Makes a user an admin the way an operator would, in the database; returns the write's
/// consistency token.
func adminPromoter(_ router: any DatabaseRouter) -> @Sendable (Int) async throws -> String {
    { id in
        try await router.write {
            try await $0.execute("UPDATE users SET role = 'ADMIN' WHERE id = $1", [.integer(id)])
        }.token.description
    }
}

let quietLogger = Logger(label: "wenwex.server.test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Settings for a test server: a free port, a throwaway storage folder, fast bcrypt.
func testSettings(storage: URL, maxUploadBytes: Int = 1 << 20) -> ServerSettings {
    ServerSettings(
        host: "127.0.0.1",
        port: 0,
        jwtSecret: "test-secret-test-secret-test-secret-0123",
        bcryptCost: 4,
        maxUploadBytes: maxUploadBytes,
        storageDirectory: storage
    )
}

/// A temporary directory removed after `body`.
func withTemporaryDirectory<Value>(_ body: (URL) async throws -> Value) async throws -> Value {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-server-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// Starts the real server (Hummingbird on a loopback port) over `database`, runs `body` with
/// an HTTP client pointed at it, then shuts the server down.
func withRunningServer<Value: Sendable>(
    database: any DatabaseRouter,
    migrations: [MigrationFile],
    settings: ServerSettings,
    logger: Logger = quietLogger,
    _ body: (TestClient) async throws -> Value
) async throws -> Value {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let application = try await MarketplaceServer.makeApplication(
        settings: settings,
        database: database,
        migrations: migrations,
        logger: logger,
        onServerRunning: { port in continuation.yield(port) }
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await application.run() }
        defer { group.cancelAll() }
        guard let port = await ports.first(where: { _ in true }) else { throw TestFailure("the server did not start") }
        return try await body(TestClient(baseURL: "http://127.0.0.1:\(port)"))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A response as the tests inspect it.
struct TestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object (empty when it is not one).
    var json: [String: any Sendable] {
        ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])?.mapValues { $0 as! any Sendable }
            ?? [:]
    }

    func header(_ name: String) -> String? { headers.first(name: name) }

    /// The `field` of each field error in a problem document.
    var fieldErrors: [String] {
        ((json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
    }
}

/// An HTTP client for one server, remembering a session token and the consistency cookie the
/// way a browser would.
final class TestClient: Sendable {
    let baseURL: String
    private let state = Mutex<(token: String?, cookie: String?)>((nil, nil))

    init(baseURL: String) {
        self.baseURL = baseURL
    }

    var token: String? {
        get { state.withLock { $0.token } }
        set { state.withLock { $0.token = newValue } }
    }

    /// Carries `token` from now on, as if this client had made that write (or waited for it
    /// to replicate).
    /// Another client of the same server, with no session of its own.
    func fresh() -> TestClient { TestClient(baseURL: baseURL) }

    func adoptConsistency(_ token: String) {
        state.withLock { $0.cookie = "wenwex_consistency=\(token)" }
    }

    /// Carries another client's consistency cookie: what it wrote is visible to this one.
    func adoptConsistency(from other: TestClient) {
        let cookie = other.state.withLock { $0.cookie }
        state.withLock { $0.cookie = cookie }
    }

    func send(
        _ method: HTTPMethod,
        _ path: String,
        json: String? = nil,
        body: [UInt8]? = nil,
        headers: [(String, String)] = [],
        authenticated: Bool = true
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        let (token, cookie) = state.withLock { ($0.token, $0.cookie) }
        if authenticated, let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        } else if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        if let setCookie = response.headers.first(name: "Set-Cookie") {
            let pair = String(setCookie.split(separator: ";")[0])
            state.withLock { $0.cookie = pair }
        }
        return TestResponse(
            status: Int(response.status.code),
            headers: response.headers,
            body: Array(buffer.readableBytesView)
        )
    }

    /// Signs up and keeps the session token; returns the new user.
    @discardableResult
    func signUp(
        _ email: String,
        password: String = "correct horse battery",
        name: String? = nil,
        referralCode: String? = nil
    )
        async throws -> [String: any Sendable]
    {
        var fields = ["\"email\":\"\(email)\"", "\"password\":\"\(password)\""]
        if let name { fields.append("\"name\":\"\(name)\"") }
        if let referralCode { fields.append("\"referralCode\":\"\(referralCode)\"") }
        let response = try await send(
            .POST,
            "/auth/signup",
            json: "{\(fields.joined(separator: ","))}",
            authenticated: false
        )
        guard response.status == 201, let token = response.json["token"] as? String else {
            throw TestFailure("sign-up of \(email) failed: \(response.status) \(response.text)")
        }
        self.token = token
        return response.json["user"] as? [String: any Sendable] ?? [:]
    }

    /// Creates a product and returns its id.
    func createProduct(_ title: String, price: String, stock: Int = 5) async throws -> Int {
        let response = try await send(
            .POST,
            "/products",
            json: #"{"title":"\#(title)","price":"\#(price)","stock":\#(stock)}"#
        )
        guard response.status == 201, let id = response.json["id"] as? Int else {
            throw TestFailure("creating \(title) failed: \(response.status) \(response.text)")
        }
        return id
    }
}

/// The smallest valid PNG: a 1×1 transparent pixel.
let onePixelPNG: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
]
