import Crypto
public import Foundation

/// AWS Signature Version 4, as AWS specifies it, for S3 and any service that speaks it.
///
/// Written against "Authenticating Requests (AWS Signature Version 4)" and checked with AWS's
/// published test suite. S3 differs from the other services in one place: the path is encoded
/// once, not twice, which ``encodePathTwice`` selects.
public struct SigV4Signer: Sendable {
    /// Named in the `Credential=` part of the `Authorization` header.
    public var accessKeyID: String
    /// Derives the day's signing key; never part of the output.
    public var secretAccessKey: String
    /// Temporary credentials' token (`x-amz-security-token`), when there is one.
    public var sessionToken: String?
    /// The credential scope's region (`<day>/<region>/<service>/aws4_request`).
    public var region: String
    /// The credential scope's service: `s3` by default.
    public var service: String
    /// False for S3 (its keys are encoded once); true for the other services and the generic
    /// test suite.
    public var encodePathTwice: Bool

    /// A signer for one set of credentials; the defaults suit S3 (service `s3`, paths encoded once).
    public init(
        accessKeyID: String,
        secretAccessKey: String,
        sessionToken: String? = nil,
        region: String,
        service: String = "s3",
        encodePathTwice: Bool = false
    ) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.region = region
        self.service = service
        self.encodePathTwice = encodePathTwice
    }

    /// The SHA-256 of an empty body, hex.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// A request as it is signed.
    public struct Request: Sendable {
        /// The HTTP method exactly as sent (`GET`, `PUT`): it is signed as given.
        public var method: String
        /// The path as sent, already percent-encoded (`/bucket/a%20b.png`).
        public var path: String
        /// Query parameters, not encoded.
        public var query: [(name: String, value: String)]
        /// Headers to sign; `host` must be among them.
        public var headers: [(name: String, value: String)]
        /// Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
        public var payloadHash: String

        /// `query` defaults to none; `headers` must include `host`.
        public init(
            method: String,
            path: String,
            query: [(name: String, value: String)] = [],
            headers: [(name: String, value: String)],
            payloadHash: String
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// The pieces of a signature, each checkable against AWS's suite.
    public struct Signature: Sendable {
        /// The canonical request, as AWS's test suite lists it.
        public var canonicalRequest: String
        /// What is signed: the algorithm, the date, the scope and the canonical request's hash.
        public var stringToSign: String
        /// The HMAC-SHA256 signature, lower-case hex.
        public var signature: String
        /// The complete `Authorization` header value.
        public var authorization: String
        /// `x-amz-date`'s value.
        public var amzDate: String
    }

    /// Signs `request` at `date`. The caller sends `x-amz-date` (and `x-amz-content-sha256` for
    /// S3) with the values it signed, plus `Authorization`.
    public func sign(_ request: Request, date: Date) -> Signature {
        let amzDate = Self.amzDate(date)
        let day = String(amzDate.prefix(8))
        var headers = request.headers
        if !headers.contains(where: { $0.name.lowercased() == "x-amz-date" }) {
            headers.append(("x-amz-date", amzDate))
        }
        if let sessionToken, !headers.contains(where: { $0.name.lowercased() == "x-amz-security-token" }) {
            headers.append(("x-amz-security-token", sessionToken))
        }
        // Header names lowercased, values trimmed with inner runs of spaces folded, repeated
        // names joined with commas in the order given.
        var grouped: [String: [String]] = [:]
        for (name, value) in headers {
            grouped[name.lowercased(), default: []].append(Self.foldSpaces(value))
        }
        let names = grouped.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(grouped[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let canonicalRequest = [
            request.method,
            canonicalPath(request.path),
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            request.payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let signature = Self.hex(
            HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(day: day))
        )
        return Signature(
            canonicalRequest: canonicalRequest,
            stringToSign: stringToSign,
            signature: signature,
            authorization:
                "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)",
            amzDate: amzDate
        )
    }

    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data(("AWS4" + secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    func canonicalPath(_ path: String) -> String {
        let path = path.isEmpty ? "/" : path
        // The path arrives encoded once; S3 signs it as sent, the others encode it again.
        return encodePathTwice
            ? path.split(separator: "/", omittingEmptySubsequences: false).map { Self.uriEncode(String($0)) }
                .joined(separator: "/") : path
    }

    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { (uriEncode($0.name), uriEncode($0.value)) }
        // Sorted by name, then value, in byte order of the encoded text.
        let sorted = encoded.sorted { lhs, rhs in
            lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name
        }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// RFC 3986 encoding of everything but the unreserved characters, as SigV4 requires.
    public static func uriEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    static let unreserved: Set<UInt8> = Set(
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
    )

    /// An object key as a URL path: each segment encoded, the `/`s kept.
    public static func encodeKeyPath(_ key: String) -> String {
        key.split(separator: "/", omittingEmptySubsequences: false).map { uriEncode(String($0)) }.joined(separator: "/")
    }

    static func foldSpaces(_ value: String) -> String {
        var result = ""
        var lastWasSpace = false
        for character in value.trimmingCharacters(in: .whitespaces) {
            if character == " " {
                if !lastWasSpace { result.append(character) }
                lastWasSpace = true
            } else {
                result.append(character)
                lastWasSpace = false
            }
        }
        return result
    }

    static func amzDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
