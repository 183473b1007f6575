import Foundation
import Testing

@testable import WenwexStorage

/// AWS's Signature Version 4 test suite (the generic service, which encodes paths twice) and
/// the S3 example from AWS's S3 documentation (paths encoded once).
@Suite struct SigV4SignerTests {
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z
    static let suite = SigV4Signer(
        accessKeyID: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
        service: "service",
        encodePathTwice: true
    )
    static let scope = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"

    static func suiteRequest(
        _ method: String,
        path: String = "/",
        query: [(String, String)] = [],
        headers: [(String, String)] = []
    ) -> SigV4Signer.Request {
        SigV4Signer.Request(
            method: method,
            path: path,
            query: query.map { (name: $0.0, value: $0.1) },
            headers: [(name: "Host", value: "example.amazonaws.com")] + headers.map { (name: $0.0, value: $0.1) },
            payloadHash: SigV4Signer.emptyPayloadHash
        )
    }

    @Test func getVanillaMatchesEveryStepOfTheSuite() {
        let signature = Self.suite.sign(Self.suiteRequest("GET"), date: Self.suiteDate)
        #expect(
            signature.canonicalRequest
                == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + SigV4Signer.emptyPayloadHash
        )
        #expect(
            signature.stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        )
        #expect(signature.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(
            signature.authorization
                == "AWS4-HMAC-SHA256 \(Self.scope), SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
    }

    @Test(arguments: [
        (
            "post-vanilla", "POST", [(String, String)](), [(String, String)](), "host;x-amz-date",
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        ),
        (
            "get-vanilla-query-order-key-case", "GET", [("Param2", "value2"), ("Param1", "value1")], [],
            "host;x-amz-date",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        ),
        (
            "post-header-value-case", "POST", [], [("My-Header1", "VALUE1")], "host;my-header1;x-amz-date",
            "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"
        ),
        (
            "get-header-value-trim", "GET", [], [("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")],
            "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
        ),
    ])
    func suiteVectors(
        name: String,
        method: String,
        query: [(String, String)],
        headers: [(String, String)],
        signedHeaders: String,
        expected: String
    ) {
        let signature = Self.suite.sign(Self.suiteRequest(method, query: query, headers: headers), date: Self.suiteDate)
        #expect(
            signature.authorization
                == "AWS4-HMAC-SHA256 \(Self.scope), SignedHeaders=\(signedHeaders), Signature=\(expected)",
            "\(name)"
        )
    }

    @Test func getUnreservedEncodesNothing() {
        let path = "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        let signature = Self.suite.sign(Self.suiteRequest("GET", path: path), date: Self.suiteDate)
        #expect(signature.signature == "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")
    }

    /// "Example: GET Object" in Amazon S3's API reference (Signature Version 4, header auth).
    @Test func theS3DocumentationsGetObjectExample() {
        let signer = SigV4Signer(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region: "us-east-1"
        )
        let request = SigV4Signer.Request(
            method: "GET",
            path: "/test.txt",
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash),
            ],
            payloadHash: SigV4Signer.emptyPayloadHash
        )
        let signature = signer.sign(request, date: Date(timeIntervalSince1970: 1_369_353_600))  // 20130524T000000Z
        #expect(
            signature.stringToSign
                == "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        )
        #expect(signature.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func keysAreEncodedOnceWithTheirSlashesKept() {
        #expect(SigV4Signer.encodeKeyPath("photos/a b+c/ü.png") == "photos/a%20b%2Bc/%C3%BC.png")
    }
}
