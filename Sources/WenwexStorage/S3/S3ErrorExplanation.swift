/// S3's error codes turned into what went wrong and how to fix it: the misconfigurations that
/// self-hosted S3 users hit most (a secret that does not match, a bucket that is not there, the
/// wrong region) get a sentence of their own instead of a bare 403.
enum S3ErrorExplanation {
    static func error(
        status: Int,
        code: String?,
        message: String?,
        bucketRegion: String?,
        configuration: S3Configuration,
        key: ObjectKey?
    ) -> StorageError {
        let bucket = configuration.bucket
        let endpoint = configuration.endpoint.absoluteString
        switch code {
        case "SignatureDoesNotMatch":
            return .refused(
                "S3 at \(endpoint) refused the request signature: the secret access key does not belong to access key \(configuration.accessKeyID), or this machine's clock is more than 15 minutes off; check the secret key and the clock"
            )
        case "InvalidAccessKeyId":
            return .refused(
                "S3 at \(endpoint) does not know access key \(configuration.accessKeyID); check the access key ID for this environment"
            )
        case "NoSuchBucket":
            return .refused(
                "bucket '\(bucket)' does not exist at \(endpoint); create it, or fix the bucket name in this environment's configuration"
            )
        case "AuthorizationHeaderMalformed", "PermanentRedirect", "IllegalLocationConstraintException":
            let region = bucketRegion.map { "'\($0)'" } ?? "another region"
            return .refused(
                "bucket '\(bucket)' is in \(region), not '\(configuration.region)'; set the region to \(bucketRegion ?? "the bucket's region")"
            )
        case "AccessDenied":
            return .refused(
                "S3 at \(endpoint) denied access to \(key.map { "'\($0)' in " } ?? "")bucket '\(bucket)': the credentials lack the permission (check the bucket policy or the key's grants)"
            )
        default:
            if status == 403, code == nil {
                // HEAD answers carry no error document: S3 says only 403.
                return .refused(
                    "S3 at \(endpoint) refused the request (403, with no reason given, as for HEAD): check that access key \(configuration.accessKeyID) exists, that its secret is this environment's, that this machine's clock is right, and that the key may use bucket '\(bucket)'"
                )
            }
            if status == 301, let bucketRegion {
                return .refused(
                    "bucket '\(bucket)' is in '\(bucketRegion)', not '\(configuration.region)'; set the region to \(bucketRegion)"
                )
            }
            let what = [code, message].compactMap { $0 }.joined(separator: ": ")
            let text = "S3 at \(endpoint) answered \(status)\(what.isEmpty ? "" : " (\(what))")"
            return status >= 500 ? .unavailable(text + " after retries") : .refused(text)
        }
    }
}
