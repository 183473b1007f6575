import HTTPTypes
import Testing

@testable import WenwexEdge

@Suite("Cache-Control parsing and HTTP dates")
struct CacheDirectivesTests {
    @Test func directivesAreCaseInsensitiveQuotedAndFirstWins() {
        let directives = CacheDirectives([#"Max-Age="60", no-cache="Set-Cookie, X-A""#, "max-age=5, PUBLIC"])
        #expect(directives.seconds("max-age") == 60)
        #expect(directives.has("no-cache"))
        #expect(directives.has("public"))
        #expect(!directives.has("x-a"), "a comma inside quotes does not split")
        #expect(CacheDirectives(["max-age=-1"]).seconds("max-age") == 0, "malformed means stale")
        #expect(CacheDirectives(["max-age=99999999999999"]).seconds("max-age") == 1 << 31)
        #expect(CacheDirectives([]).seconds("max-age") == nil)
    }

    @Test func theThreeDateFormsParseAndFormatRoundTrips() throws {
        let imf = try #require(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(imf == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == imf)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == imf)
        #expect(HTTPDate.format(imf) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("yesterday") == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov 94 08:49:37 GMT") == nil, "a two-digit year in the IMF form is malformed")
        #expect(HTTPDate.parse("Sun 06 Nov 1994 08:49:37 GMT") == nil, "no comma")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 8:49:37 GMT") == nil, "a one-digit hour")
        #expect(HTTPDate.parse("sun, 06 nov 1994 08:49:37 gmt") == imf, "names in any case")
        #expect(HTTPDate.parse("Sun, 32 Nov 1994 08:49:37 GMT") == nil)
    }

    @Test func aMalformedCDNCacheControlIsIgnoredForCacheControl() {
        let valid = FreshnessPolicy(
            headers: [.cdnCacheControlForTests: "max-age=600", .cacheControl: "no-store"],
            status: .ok
        )
        #expect(valid.lifetime == 600)
        let unknownKey = FreshnessPolicy(
            headers: [.cdnCacheControlForTests: "max-age=10000, &&&&&", .cacheControl: "max-age=5"],
            status: .ok
        )
        #expect(unknownKey.lifetime == 5)
        let stringLifetime = FreshnessPolicy(
            headers: [.cdnCacheControlForTests: #"max-age="10000""#, .cacheControl: "max-age=5"],
            status: .ok
        )
        #expect(stringLifetime.lifetime == 5)
    }

    @Test func rangesResolveAgainstTheLength() {
        #expect(ByteRange(header: "bytes=0-9", length: 100) == .satisfiable(lower: 0, upper: 9))
        #expect(ByteRange(header: "bytes=90-", length: 100) == .satisfiable(lower: 90, upper: 99))
        #expect(ByteRange(header: "bytes=-10", length: 100) == .satisfiable(lower: 90, upper: 99))
        #expect(ByteRange(header: "bytes=95-200", length: 100) == .satisfiable(lower: 95, upper: 99))
        #expect(ByteRange(header: "bytes=100-", length: 100) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=0-1,5-6", length: 100) == .ignored)
        #expect(ByteRange(header: "items=0-1", length: 100) == .ignored)
    }
}

extension HTTPField.Name {
    static let cdnCacheControlForTests = Self("CDN-Cache-Control")!
}
