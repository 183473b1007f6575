import Testing
import WenwexConfig

@Suite("Secret masking")
struct SecretMaskerTests {
    @Test func passwordsInsideURLsAreMasked() {
        #expect(
            SecretMasker.maskingCredentials(in: "postgresql://app:hunter2@db.example.com:5432/app?schema=public")
                == "postgresql://app:****@db.example.com:5432/app?schema=public"
        )
        #expect(
            SecretMasker.maskingCredentials(in: "postgres://a:p1@h1/db,postgres://b:p%40ss@h2/db")
                == "postgres://a:****@h1/db,postgres://b:****@h2/db"
        )
        #expect(SecretMasker.maskingCredentials(in: "postgresql://app@db/app") == "postgresql://app@db/app")
    }

    @Test func sensitiveQueryParametersAreMasked() {
        #expect(
            SecretMasker.maskingCredentials(in: "postgresql://db/app?user=app&password=hunter2&sslmode=require")
                == "postgresql://db/app?user=app&password=****&sslmode=require"
        )
    }

    @Test func secretValuesAreHiddenWhole() {
        #expect(SecretMasker.display("sk_live_abc", isSecret: true) == SecretMasker.mask)
        #expect(SecretMasker.display("plain", isSecret: false) == "plain")
        #expect(SecretMasker.display("postgresql://u:p@h/d", isSecret: true) == "postgresql://u:****@h/d")
    }

    @Test func secretLookingNamesAreSecret() {
        for name in ["DB_PASSWORD", "STRIPE_SECRET_KEY", "GITHUB_TOKEN", "JWT_SIGNING_KEY", "SUPABASE_API_KEY"] {
            #expect(SecretMasker.isSecretName(name), "\(name)")
        }
        for name in ["PORT", "LOG_LEVEL", "DATABASE_URL", "KEYBOARD_LAYOUT"] {
            #expect(!SecretMasker.isSecretName(name), "\(name)")
        }
    }

    @Test func databaseURLDescriptionsNeverContainThePassword() throws {
        let url = try DatabaseURL("postgresql://app:hunter2@db.example.com/app")
        #expect(!url.description.contains("hunter2"))
        #expect(!"\(url)".contains("hunter2"))
        #expect(!url.label.contains("hunter2"))
    }
}
