import Foundation
import Testing

@testable import WenwexStorage

/// The misconfigurations self-hosted S3 users hit most get a sentence that says what to fix.
@Suite struct S3ErrorExplanationTests {
    static let configuration = S3Configuration(
        endpoint: URL(string: "https://storage.example.com")!,
        region: "us-east-1",
        bucket: "photos",
        accessKeyID: "AKIAEXAMPLE",
        secretAccessKey: "not-printed-anywhere"
    )

    static func explain(_ status: Int, _ code: String?, region: String? = nil) -> String {
        S3ErrorExplanation.error(
            status: status,
            code: code,
            message: "The request signature we calculated does not match",
            bucketRegion: region,
            configuration: configuration,
            key: nil
        ).description
    }

    @Test func signatureMismatchNamesTheKeyAndTheClock() {
        let text = Self.explain(403, "SignatureDoesNotMatch")
        #expect(text.contains("AKIAEXAMPLE") && text.contains("clock"))
        #expect(!text.contains("not-printed-anywhere"))
    }

    @Test func aMissingBucketAndAWrongRegionSayWhatToSet() {
        #expect(Self.explain(404, "NoSuchBucket").contains("bucket 'photos' does not exist"))
        let region = Self.explain(400, "AuthorizationHeaderMalformed", region: "eu-central-1")
        #expect(region.contains("'eu-central-1'") && region.contains("set the region to eu-central-1"))
        #expect(Self.explain(301, nil, region: "ap-south-1").contains("set the region to ap-south-1"))
    }

    @Test func serverErrorsAreUnavailableNotRefused() {
        let error = S3ErrorExplanation.error(
            status: 503,
            code: "SlowDown",
            message: nil,
            bucketRegion: nil,
            configuration: Self.configuration,
            key: nil
        )
        guard case .unavailable = error else {
            Issue.record("a 503 is the service's condition")
            return
        }
    }
}
