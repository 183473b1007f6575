import Foundation
import Testing
import WenwexConfig

@testable import WenwexServer

@Suite struct ServerUnitTests {
    @Test func byteRangesFollowRFC9110() {
        #expect(ByteRange(header: nil, length: 10) == .whole)
        #expect(ByteRange(header: "bytes=0-3", length: 10) == .partial(lower: 0, upper: 3))
        #expect(ByteRange(header: "bytes=4-", length: 10) == .partial(lower: 4, upper: 9))
        #expect(ByteRange(header: "bytes=-3", length: 10) == .partial(lower: 7, upper: 9))
        #expect(ByteRange(header: "bytes=-30", length: 10) == .partial(lower: 0, upper: 9))
        #expect(ByteRange(header: "bytes=5-100", length: 10) == .partial(lower: 5, upper: 9))
        #expect(ByteRange(header: "bytes=10-", length: 10) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=-0", length: 10) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=0-1,4-5", length: 10) == .whole)
        #expect(ByteRange(header: "items=0-1", length: 10) == .whole)
        #expect(ByteRange(header: "bytes=5-2", length: 10) == .whole)
    }

    @Test func moneyIsExactWhateverTheDatabaseReturns() {
        #expect(Money(text: "12.5")?.description == "12.50")
        #expect(Money(text: "0.07")?.cents == 7)
        #expect(Money(text: "12.345") == nil)
        #expect(Money(text: "1e3") == nil)
        #expect(Money(text: ".5") == nil)
        #expect(Money(.double(19.99))?.cents == 1999)
        #expect(Money(.integer(3))?.description == "3.00")
        #expect(Money(.text("26.990"))?.description == "26.99")
        #expect(Money(.text("100"))?.cents == 10000)
    }

    @Test func cursorsRoundTripAndRejectForgeries() {
        let cursor = Cursor(value: "12.50", id: 42)
        #expect(Cursor(encoded: cursor.encoded) == cursor)
        #expect(!cursor.encoded.contains("="))
        #expect(Cursor(encoded: "not a cursor") == nil)
    }

    @Test func imageKeysAreContentAddresses() {
        let key = String(repeating: "ab", count: 32) + ".png"
        #expect(ImageStore.isValidKey(key))
        #expect(!ImageStore.isValidKey("../../etc/passwd"))
        #expect(!ImageStore.isValidKey(String(repeating: "AB", count: 32) + ".png"))
        #expect(ImageStore.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])?.contentType == "image/png")
        #expect(ImageStore.sniff(Array("RIFF0000WAVE".utf8)) == nil)
    }
}

@Suite struct TimestampTests {
    @Test func everyDialectsTimestampsBecomeISO8601UTC() {
        #expect(Timestamp.iso8601(.text("2026-11-25 01:35:44")) == "2026-11-25T01:35:44Z")
        #expect(Timestamp.iso8601(.text("2026-11-25T01:35:44.123Z")) == "2026-11-25T01:35:44.123Z")
        #expect(Timestamp.iso8601(.text("2026-11-25T01:35:44.123")) == "2026-11-25T01:35:44.123Z")
        #expect(Timestamp.iso8601(.text("2026-11-25T01:35:44+01:00")) == "2026-11-25T01:35:44+01:00")
        #expect(Timestamp.iso8601(.integer(0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.iso8601(.null) == nil)
    }
}

@Suite struct ServerSettingsTests {
    func configuration(_ environment: String, _ values: [String: String]) throws -> WenwexConfiguration {
        try WenwexConfiguration.load(
            .init(
                projectDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("wenwex-no-project"),
                environmentName: environment,
                processEnvironment: values
            )
        )
    }

    @Test func outsideDevTheServerRefusesAMissingOrShortJWTSecret() throws {
        let database = ["DATABASE_URL": "postgresql://app@db.internal/market"]
        #expect(throws: ConfigurationError.self) {
            try ServerSettings(configuration: configuration("staging", database))
        }
        var short = database
        short["JWT_SECRET"] = "too-short"
        #expect(throws: ConfigurationError.self) { try ServerSettings(configuration: configuration("prod", short)) }
        var good = database
        good["JWT_SECRET"] = String(repeating: "k", count: 40)
        #expect(try ServerSettings(configuration: configuration("prod", good)).jwtSecret == good["JWT_SECRET"])
    }

    @Test func devMakesAProcessSecretWhenNoneIsSet() throws {
        let first = try ServerSettings(configuration: configuration("dev", [:]))
        let second = try ServerSettings(configuration: configuration("dev", [:]))
        #expect(first.jwtSecret.count >= ServerSettings.minimumSecretLength)
        #expect(first.jwtSecret != second.jwtSecret)
        #expect(first.port == 8080)
    }
}

@Suite struct JSONWritingTests {
    func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func written(_ value: some JSONWritable) -> String {
        var json = JSONBuffer()
        value.write(to: &json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    @Test func handWrittenJSONIsWhatJSONEncoderWrites() throws {
        let image = ImageView(id: 3, url: "/images/ab.png", contentType: "image/png", size: 67, position: 0)
        let product = ProductView(
            id: 1,
            title: "Quote \" backslash \\ newline \n tab \t bell \u{07} é 🚀",
            description: nil,
            price: "12.50",
            stock: 0,
            sellerId: 9,
            images: [image, image],
            createdAt: "2026-11-25T01:35:44Z",
            updatedAt: "2026-11-25T01:35:45Z"
        )
        var described = product
        described.description = "A lamp"
        let page = Page(data: [product, described], nextCursor: "eyJpZCI6MX0")
        #expect(written(page) == (try encoded(page)))
        #expect(
            written(Page<ProductView>(data: [], nextCursor: nil))
                == (try encoded(Page<ProductView>(data: [], nextCursor: nil)))
        )
        let order = OrderView(
            id: 4,
            buyerId: 2,
            status: "PENDING",
            total: "26.99",
            createdAt: "2026-11-25T01:35:44Z",
            items: [OrderItemView(productId: 1, quantity: 2, unitPrice: "12.50")]
        )
        #expect(written(order) == (try encoded(order)))
        let comment = CommentView(id: 5, body: "Nice", authorId: 2, productId: 1, createdAt: "2026-11-25T01:35:44Z")
        #expect(
            written(Page(data: [comment], nextCursor: nil)) == (try encoded(Page(data: [comment], nextCursor: nil)))
        )
    }
}
