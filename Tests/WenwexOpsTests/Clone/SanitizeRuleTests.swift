import Crypto
import Foundation
import Testing
import WenwexSQL
import WenwexSchema

@testable import WenwexOps

@Suite("Sanitize rules")
struct SanitizeRuleTests {
    @Test func rulesParseAndPrintBack() throws {
        let texts = [
            "email", "name", "phone", "address", "text", "ip", "token", "date_shift(30)", "null", "keep",
            "constant('n/a')", "constant('it''s')", "sql(left(zip, 2))",
        ]
        for text in texts {
            #expect(try SanitizeRule(parsing: text).description == text)
        }
        #expect(try SanitizeRule(parsing: " Hash ") == .token)
        for bad in ["emial", "date_shift", "date_shift(-3)", "constant(n/a)", "email(3)", "sql()", "sql(x"] {
            #expect(throws: CloneError.self, "\(bad)") { try SanitizeRule(parsing: bad) }
        }
    }

    @Test func theProjectFileAndTheSchemaMustAgree() throws {
        let annotation = SanitizeAnnotations.Annotation(table: "User", column: "email", rule: "email")
        let merged = try SanitizeRuleSet.merge(
            projectFile: ["User": ["email": "email", "bio": "text"]],
            annotations: [annotation]
        )
        #expect(merged["User"] == ["email": .email, "bio": .text])
        let error = #expect(throws: CloneError.self) {
            try SanitizeRuleSet.merge(
                projectFile: ["User": ["email": "keep", "phone": "fon"]],
                annotations: [annotation]
            )
        }
        guard case .badRules(let problems)? = error else {
            Issue.record("conflicting rules were accepted: \(String(describing: error))")
            return
        }
        #expect(problems.count == 2, "every problem at once: \(problems)")
        #expect(problems.contains { $0.contains("'keep' in wenwex.toml") && $0.contains("'email' in schema.prisma") })
    }

    @Test func personalDataIsRecognisedByNameAndType() {
        func reason(_ name: String, _ type: String = "TEXT") -> String? {
            PersonalData.reason(SQLColumn(name: name, type: SQLColumnType(type, family: .string)))
        }
        for name in [
            "email", "contactEmail", "first_name", "name", "phone", "passwordHash", "lastIp", "signup_ip", "bio",
            "user_bio", "dob", "shippingZip", "birthDate", "apiToken",
        ] {
            #expect(reason(name) != nil, "\(name)")
        }
        #expect(reason("origin", "INET") != nil)
        for name in [
            "id", "title", "price", "createdAt", "zipper", "biography_id_count", "relationship", "filename", "quantity",
        ] {
            #expect(reason(name) == nil, "\(name): \(reason(name) ?? "")")
        }
    }

    @Test func fastHMACMatchesCryptoKit() {
        let anonymizer = Anonymizer(secret: "first-secret-0123456789")
        // One block, the padding spilling into a second, exact block boundaries, several
        // blocks, and attempts of one and two digits.
        var cases: [(SanitizeRule, String, Int)] = [
            (.email, "ada@real-mail.org", 0), (.text, "", 3), (.dateShift(days: 9), "2026-01-01", 12),
        ]
        for length in [40, 44, 45, 50, 51, 52, 53, 54, 55, 56, 57, 63, 64, 65, 110, 119, 120, 121, 200, 1000] {
            cases.append(
                (
                    .text, String(repeating: "é", count: length / 2) + String(repeating: "x", count: length % 2),
                    length % 13
                )
            )
        }
        for (rule, value, attempt) in cases {
            var message = Data(rule.description.utf8)
            message.append(0)
            message.append(contentsOf: value.utf8)
            message.append(0)
            message.append(contentsOf: String(attempt).utf8)
            let expected = HMAC<SHA256>.authenticationCode(for: message, using: anonymizer.key)
            #expect(Data(anonymizer.authenticationCode(rule, value, attempt: attempt)) == Data(expected))
        }
    }

    @Test func fakeValuesAreDeterministicUnderTheKeyAndKeepTheirShape() {
        let one = Anonymizer(secret: "first-secret-0123456789")
        let other = Anonymizer(secret: "other-secret-0123456789")
        let email = one.apply(.email, to: "ada@real-mail.org", maxLength: nil)
        #expect(email == one.apply(.email, to: "ada@real-mail.org", maxLength: nil))
        #expect(email != other.apply(.email, to: "ada@real-mail.org", maxLength: nil))
        #expect(email?.hasSuffix("@example.com") == true)
        #expect(one.apply(.email, to: "ada@real-mail.org", maxLength: 20)?.count ?? 99 <= 20)
        #expect(one.apply(.token, to: "abcdef0123", maxLength: nil)?.count == 10)
        #expect(one.apply(.text, to: "", maxLength: nil) == "")
        #expect(one.apply(.text, to: nil, maxLength: nil) == nil)
        #expect(one.apply(.ip, to: "81.2.69.1/32", maxLength: nil)?.hasSuffix("/32") == true)
        #expect(one.apply(.constant("n/a"), to: "x", maxLength: nil) == "n/a")
        #expect(Anonymizer.shift("2026-01-31 10:00:00+00", by: 1) == "2026-02-01 10:00:00+00")
        #expect(Anonymizer.shift("not a date", by: 3) == "not a date")
        #expect(
            one.apply(.token, to: "abcd", maxLength: 4, attempt: 1) != one.apply(.token, to: "abcd", maxLength: 4),
            "a retry after a collision draws a new value"
        )
    }
}
