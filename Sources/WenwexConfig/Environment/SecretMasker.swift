import Foundation

/// Hides secrets in everything Wenwex prints: listings, errors and logs.
///
/// Two rules: a secret variable's value is replaced whole, and a password inside any URL
/// (`postgresql://app:hunter2@db/app` → `postgresql://app:****@db/app`), along with password- or
/// token-like query parameters, is masked wherever it appears, because connection strings are
/// the secret teams most often paste into logs.
public enum SecretMasker {
    /// The replacement text for a hidden value.
    public static let mask = "****"

    private static let sensitiveNameParts = [
        "PASSWORD", "PASSWD", "SECRET", "TOKEN", "PRIVATE", "CREDENTIAL", "API_KEY", "APIKEY", "AUTH",
    ]
    private static let sensitiveQueryNames: Set<String> = [
        "password", "sslpassword", "pass", "token", "secret", "key", "api_key", "apikey", "access_token",
    ]

    /// Whether a name alone marks a variable as secret (`STRIPE_SECRET_KEY`, `JWT_SIGNING_KEY`).
    public static func isSecretName(_ name: String) -> Bool {
        let upper = name.uppercased()
        return sensitiveNameParts.contains { upper.contains($0) } || upper.hasSuffix("_KEY")
    }

    /// The text to show for a value: fully masked when secret, otherwise with URL credentials
    /// masked.
    public static func display(_ value: String, isSecret: Bool) -> String {
        if isSecret {
            // A secret connection string keeps its host visible: that is what people debug.
            let masked = maskingCredentials(in: value)
            return masked != value ? masked : mask
        }
        return maskingCredentials(in: value)
    }

    /// `display` in single quotes, or "the value" for a fully hidden secret.
    public static func quoted(_ value: String, isSecret: Bool) -> String {
        let shown = display(value, isSecret: isSecret)
        return shown == mask ? "the value" : "'\(shown)'"
    }

    /// Masks passwords in every `scheme://user:password@` and sensitive query parameters.
    public static func maskingCredentials(in text: String) -> String {
        guard text.contains("://") || text.contains("=") else { return text }
        var result = ""
        var rest = Substring(text)
        while let schemeEnd = rest.range(of: "://") {
            result += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
            let authorityEnd =
                rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0 == "," || $0.isWhitespace })
                ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result += authority[...colon] + mask + authority[at...]
            } else {
                result += authority
            }
            rest = rest[authorityEnd...]
        }
        result += rest
        return maskingQueryParameters(in: result)
    }

    private static func maskingQueryParameters(in text: String) -> String {
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            output.append(character)
            index = text.index(after: index)
            guard character == "?" || character == "&" else { continue }
            let nameEnd = text[index...].firstIndex(where: { $0 == "=" || $0 == "&" || $0 == "#" || $0 == "," })
            guard let nameEnd, text[nameEnd] == "=",
                sensitiveQueryNames.contains(text[index..<nameEnd].lowercased())
            else { continue }
            output += text[index...nameEnd] + mask
            index =
                text[nameEnd...].firstIndex(where: { $0 == "&" || $0 == "#" || $0 == "," || $0.isWhitespace })
                ?? text.endIndex
        }
        return output
    }
}
