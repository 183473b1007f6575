import AsyncHTTPClient
import Crypto
import Foundation
import Testing
import WenwexTestSupport

/// `wenwex storage` on the filesystem default and on S3 (moto), as an operator runs it.
@Suite struct StorageCommandTests {
    static func randomFile(_ cli: WenwexCLI, _ name: String, bytes count: Int) throws -> [UInt8] {
        // From the kernel: a byte-at-a-time Swift loop over 20 MiB held a test thread for seconds.
        let handle = FileHandle(forReadingAtPath: "/dev/urandom")!
        defer { try? handle.close() }
        // The throwing read, retried: readData(ofLength:) stops the process if a signal interrupts it.
        var bytes: [UInt8] = []
        while bytes.count < count {
            if let chunk = try? handle.read(upToCount: count - bytes.count) { bytes += chunk }
        }
        try Data(bytes).write(to: cli.project.appendingPathComponent(name))
        return bytes
    }

    @Test func putListGetSyncAndTheGuardOnTheFilesystem() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        #expect(try await cli.run("init").status == 0)
        #expect(try await cli.run("storage", "stamp").stdout.contains("Stamped"))
        let bytes = try Self.randomFile(cli, "photo.bin", bytes: 300_000)
        let put = try await cli.run("storage", "put", "media/photo.bin", "photo.bin")
        #expect(put.status == 0, "\(put.stderr)")
        let list = try await cli.run("storage", "ls", "media/")
        #expect(list.stdout.contains("300000") && list.stdout.contains("media/photo.bin"))
        #expect(try await cli.run("storage", "get", "media/photo.bin", "back.bin").status == 0)
        #expect(Array(try Data(contentsOf: cli.project.appendingPathComponent("back.bin"))) == bytes)

        for key in ["../escape", "/etc/passwd", "a/%2e%2e/b"] {
            let refused = try await cli.run("storage", "put", key, "photo.bin")
            #expect(refused.status == 2, "\(key)")
            #expect(refused.stderr.contains("invalid object key"))
        }
        let first = try await cli.run("storage", "sync", "--from", "dev", "--to", "./mirror")
        #expect(first.stdout.contains("Copied 1 object(s)"), "\(first.stdout)\(first.stderr)")
        let again = try await cli.run("storage", "sync", "--from", "dev", "--to", "./mirror")
        #expect(again.stdout.contains("Copied 0 object(s)") && again.stdout.contains("skipped 1"))

        let prod = try await cli.run(
            "storage",
            "ls",
            environment: [
                "WENWEX_ENV": "prod", "DATABASE_URL": "postgresql://app@db.example/app",
                "JWT_SECRET": String(repeating: "s", count: 40),
            ]
        )
        #expect(prod.status == 2)
        #expect(prod.stderr.contains("is the 'dev' (dev) bucket"))
        let removal = try await cli.run("storage", "rm", "media/photo.bin")
        #expect(removal.status == 0)
        #expect(try await cli.run("storage", "get", "media/photo.bin", "-").status == 1)
    }

    @Test(.enabled(if: MotoAvailability.shouldRun))
    func aLargeFileGoesToS3InPartsAndComesBackIdentical() async throws {
        let cli = try WenwexCLI(empty: ())
        defer { cli.remove() }
        #expect(try await cli.run("init").status == 0)
        let endpoint = try await SharedMoto.endpoint()
        let bucket = "wenwex-cli-\(UUID().uuidString.lowercased().prefix(8))"
        var create = HTTPClientRequest(url: endpoint.absoluteString + "/" + bucket)
        create.method = .PUT
        #expect(try await HTTPClient.shared.execute(create, timeout: .seconds(30)).status.code == 200)
        let environment = [
            "STORAGE_BACKEND": "s3", "S3_ENDPOINT": endpoint.absoluteString, "S3_BUCKET": bucket,
            "S3_ACCESS_KEY_ID": "AKIDEXAMPLE", "S3_SECRET_ACCESS_KEY": "secret",
        ]
        #expect(try await cli.run("storage", "stamp", environment: environment).status == 0)
        let bytes = try Self.randomFile(cli, "video.bin", bytes: 20 << 20)
        let put = try await cli.run("storage", "put", "video.bin", "video.bin", environment: environment)
        #expect(put.status == 0, "\(put.stderr)")
        #expect(try await cli.run("storage", "get", "video.bin", "back.bin", environment: environment).status == 0)
        let back = try Data(contentsOf: cli.project.appendingPathComponent("back.bin"))
        #expect(SHA256.hash(data: back) == SHA256.hash(data: bytes))
        let sync = try await cli.run("storage", "sync", "--from", "dev", "--to", "./local", environment: environment)
        #expect(sync.stdout.contains("Copied 1 object(s)"), "\(sync.stdout)\(sync.stderr)")
        let wrong = environment.merging(["S3_BUCKET": "missing-\(bucket)"]) { _, new in new }
        let missing = try await cli.run("storage", "ls", environment: wrong)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("does not exist"))
    }
}
