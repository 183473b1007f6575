import Foundation
import Testing
import WenwexStorage
import WenwexTestSupport

/// The shared moto server accepts any signature. This suite starts one of its own with moto's
/// IAM authentication on (`/moto-api/reset-auth`), so a request is served only when it is
/// signed, by SigV4, with a key moto issued: what AWS S3, R2 and MinIO do.
@Suite(.enabled(if: MotoAvailability.shouldRun))
struct S3SignatureVerificationTests {
    /// Makes an IAM user with an access key allowed `s3:*` and a bucket, then turns
    /// authentication on. Prints the key's ID and secret.
    static let bootstrap = """
        import boto3, json, sys, urllib.request
        endpoint = sys.argv[1]
        anonymous = dict(endpoint_url=endpoint, region_name="us-east-1",
                         aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
        iam = boto3.client("iam", **anonymous)
        iam.create_user(UserName="wenwex")
        key = iam.create_access_key(UserName="wenwex")["AccessKey"]
        iam.put_user_policy(UserName="wenwex", PolicyName="s3", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        boto3.client("s3", **anonymous).create_bucket(Bucket="verified")
        urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"0", method="POST",
                                                      headers={"Content-Type": "text/plain"}))
        print(key["AccessKeyId"], key["SecretAccessKey"])
        """

    @Test func onlyACorrectSignatureWithAnIssuedKeyIsServed() async throws {
        let endpoint = try await SharedMoto.startOwn()
        do {
            let setUp = try await ChildProcess.run(
                "/usr/bin/env",
                ["python3", "-c", Self.bootstrap, endpoint.absoluteString]
            )
            try #require(setUp.status == 0, "moto's IAM set-up: \(setUp.stderr)")
            let parts = setUp.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
            try #require(parts.count == 2, "\(setUp.stdout)")
            func store(key: String, secret: String) -> S3ObjectStore {
                S3ObjectStore(
                    S3Configuration(
                        endpoint: endpoint,
                        region: "us-east-1",
                        bucket: "verified",
                        accessKeyID: key,
                        secretAccessKey: secret,
                        partSize: 5 << 20
                    )
                )
            }

            // Signed right: single-request and multipart puts, a ranged get, a listing, a delete.
            let signed = store(key: parts[0], secret: parts[1])
            try await ObjectStoreScenarios.roundTripsRangesHeadDeleteAndCopy(signed)
            let big = ObjectStoreScenarios.bytes(11 << 20, seed: 9)
            let key = try ObjectKey("verified/parts.bin")
            _ = try await signed.put(key, body: .bytes(big), options: .init())
            let back = try await signed.get(key).body.collect(upTo: 12 << 20)
            #expect(ObjectStoreScenarios.sha256(back) == ObjectStoreScenarios.sha256(big))

            // The wrong secret: moto computes the signature and refuses it, and we say what to fix.
            let wrongSecret = store(key: parts[0], secret: parts[1] + "x")
            let mismatch = await #expect(throws: StorageError.self) {
                _ = try await wrongSecret.get(key)
            }
            #expect(
                mismatch?.description.contains("refused the request signature") == true,
                "\(String(describing: mismatch))"
            )
            #expect(mismatch?.description.contains(parts[1]) == false, "the secret is never printed")
            let putRefused = await #expect(throws: StorageError.self) {
                _ = try await wrongSecret.put(try ObjectKey("nope.txt"), body: .bytes([1, 2, 3]), options: .init())
            }
            #expect(putRefused?.description.contains("refused the request signature") == true)

            // HEAD answers have no error document: the message lists what to check.
            let headRefused = await #expect(throws: StorageError.self) {
                _ = try await wrongSecret.head(key)
            }
            #expect(headRefused?.description.contains("no reason given") == true, "\(String(describing: headRefused))")

            let unknownKey = store(key: "AKIAUNKNOWN000000000", secret: parts[1])
            let unknown = await #expect(throws: StorageError.self) {
                _ = try await unknownKey.list(prefix: "", token: nil, limit: 10)
            }
            #expect(
                unknown?.description.contains("does not know access key AKIAUNKNOWN000000000") == true,
                "\(String(describing: unknown))"
            )
            #expect(try await signed.head(try ObjectKey("nope.txt")) == nil, "the refused put stored nothing")
        }
    }
}
