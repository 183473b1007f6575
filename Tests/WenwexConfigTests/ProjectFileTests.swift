import Testing
import WenwexConfig

@Suite("wenwex.toml")
struct ProjectFileTests {
    @Test func readsEnvironmentsFingerprintsAndVariables() throws {
        let project = try ProjectFileReader.parse(
            """
            [project]
            name = "marketplace"

            [database]
            url_variable = "PRIMARY_URL"

            [environments.dev]
            [environments.dev.values]
            LOG_LEVEL = "debug"
            WORKERS = 2

            [environments.preview]
            tier = "staging"

            [environments.production]
            [environments.production.fingerprint]
            database_hosts = ["*.prod.internal"]
            project_refs = ["abcdprod"]
            key_prefixes = { STRIPE_SECRET_KEY = "sk_live_" }

            [variables.PORT]
            type = "port"
            default = 8080

            [variables.STRIPE_SECRET_KEY]
            type = "secret"
            required_in = ["prod"]

            [variables.ORIGINS]
            type = "list"
            of = "url"
            schemes = ["https"]

            [variables.LOG_LEVEL]
            type = "enum"
            values = ["debug", "info"]
            default = "info"
            """,
            label: "wenwex.toml",
            defaultName: "directory"
        )
        #expect(project.projectName == "marketplace")
        #expect(project.database.urlVariable == "PRIMARY_URL")
        #expect(project.environments.map(\.name) == ["dev", "preview", "production"])
        #expect(project.environments.map(\.tier) == [.dev, .staging, .prod])
        #expect(project.environments[0].values == ["LOG_LEVEL": "debug", "WORKERS": "2"])
        let prod = project.environments[2].fingerprint
        #expect(prod.databaseHosts == ["*.prod.internal"])
        #expect(prod.keyPrefixes == ["STRIPE_SECRET_KEY": "sk_live_"])
        #expect(project.schema["PORT"]?.defaultValue == "8080")
        #expect(project.schema["STRIPE_SECRET_KEY"]?.isSecret == true)
        #expect(project.schema["STRIPE_SECRET_KEY"]?.requiredIn == [.prod])
        #expect(project.schema["STRIPE_SECRET_KEY"]?.isRequired(in: .dev) == false)
        #expect(project.schema["ORIGINS"]?.type == .list(of: .url(schemes: ["https"])))
    }

    @Test func semanticErrorsCarryLineAndColumnAndAreAllReported() {
        let text = """
            [project]
            name = "x"

            [environments.qa]

            [variables.PORT]
            type = "prot"

            [variables.MODE]
            type = "enum"
            requried_in = ["prod"]
            """
        #expect {
            try ProjectFileReader.parse(text, label: "wenwex.toml", defaultName: "x")
        } throws: { error in
            let problems = (error as? ConfigurationError)?.problems ?? []
            let subjects = problems.map(\.subject)
            return subjects.contains("wenwex.toml:4:1")  // qa needs a tier
                && subjects.contains("wenwex.toml:7:1")  // unknown type
                && subjects.contains("wenwex.toml:11:1")  // misspelt key
                && problems.contains { $0.message.contains("needs its values") }
        }
    }

    @Test func invalidTOMLPointsAtThePosition() {
        #expect {
            try ProjectFileReader.parse("[project]\nname = \"unterminated\n", label: "wenwex.toml", defaultName: "x")
        } throws: { error in
            (error as? ConfigurationError)?.problems.first?.subject.hasPrefix("wenwex.toml:2:") == true
        }
    }
}
