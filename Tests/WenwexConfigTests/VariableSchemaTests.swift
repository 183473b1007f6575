import Testing
import WenwexConfig

@Suite("Typed variable schema")
struct VariableSchemaTests {
    private func resolved(_ values: [String: String]) -> [String: ResolvedVariable] {
        Dictionary(
            uniqueKeysWithValues: values.map {
                ($0.key, ResolvedVariable(name: $0.key, value: $0.value, source: .dotenv(path: ".env", line: 1)))
            }
        )
    }

    @Test func everyTypeReadsValidValues() {
        let schema = VariableSchema([
            VariableSpec("NAME", .string(minLength: 2, maxLength: 10, pattern: "[a-z]+")),
            VariableSpec("WORKERS", .int(min: 1, max: 64)),
            VariableSpec("DEBUG", .bool),
            VariableSpec("WEBHOOK", .url(schemes: ["https"])),
            VariableSpec("LOG_LEVEL", .enumeration(["debug", "info"])),
            VariableSpec("TIMEOUT", .duration(max: .seconds(3_600))),
            VariableSpec("PORT", .port),
            VariableSpec("ORIGINS", .list(of: .url(schemes: ["https"]))),
            VariableSpec("API_TOKEN", .secret(minLength: 8)),
        ])
        let (values, problems) = schema.validate(
            resolved([
                "NAME": "app", "WORKERS": "8", "DEBUG": "ON", "WEBHOOK": "https://hooks.example.com/x",
                "LOG_LEVEL": "info", "TIMEOUT": "1m30s", "PORT": "8080",
                "ORIGINS": "https://a.example, https://b.example", "API_TOKEN": "0123456789",
            ]),
            tier: .prod
        )
        #expect(problems.isEmpty)
        #expect(values["WORKERS"] == .int(8))
        #expect(values["DEBUG"] == .bool(true))
        #expect(values["TIMEOUT"] == .duration(.seconds(90)))
        #expect(values["PORT"] == .int(8080))
        #expect(values["ORIGINS"] == .list([.url("https://a.example"), .url("https://b.example")]))
    }

    @Test func reportsEveryProblemAtOnceWithSourceAndExpectation() {
        let schema = VariableSchema([
            VariableSpec("PORT", .port),
            VariableSpec("WORKERS", .int(min: 1, max: 64)),
            VariableSpec("DEBUG", .bool),
            VariableSpec("WEBHOOK", .url(schemes: ["https"])),
            VariableSpec("LOG_LEVEL", .enumeration(["debug", "info"])),
            VariableSpec("TIMEOUT", .duration()),
            VariableSpec("ORIGINS", .list(of: .url())),
            VariableSpec("NAME", .string(pattern: "[a-z]+")),
        ])
        let (_, problems) = schema.validate(
            resolved([
                "PORT": "80a", "WORKERS": "100", "DEBUG": "maybe", "WEBHOOK": "http://plain.example",
                "LOG_LEVEL": "loud", "TIMEOUT": "30", "ORIGINS": "https://ok.example,not a url", "NAME": "UPPER",
            ]),
            tier: .dev
        )
        #expect(
            Set(problems.map(\.subject)) == [
                "PORT", "WORKERS", "DEBUG", "WEBHOOK", "LOG_LEVEL", "TIMEOUT", "ORIGINS", "NAME",
            ]
        )
        let port = problems.first { $0.subject == "PORT" }
        #expect(port?.source == ".env:1")
        #expect(port?.message.contains("'80a'") == true)
        #expect(port?.message.contains("1 to 65535") == true)
        #expect(problems.first { $0.subject == "TIMEOUT" }?.message.contains("unit") == true)
        #expect(problems.first { $0.subject == "ORIGINS" }?.message.contains("item 2") == true)
    }

    @Test func requirementsPerTierAndDefaults() {
        let schema = VariableSchema([
            VariableSpec("STRIPE_SECRET_KEY", .secret(), requiredIn: [.prod]),
            VariableSpec("PORT", .port, default: "8080"),
            VariableSpec("REQUIRED_EVERYWHERE", .string()),
            VariableSpec("OPTIONAL", .string(), required: false),
        ])
        let dev = schema.validate([:], tier: .dev)
        #expect(dev.problems.map(\.subject) == ["REQUIRED_EVERYWHERE"])
        #expect(dev.values["PORT"] == .int(8080))
        let prod = schema.validate([:], tier: .prod)
        #expect(Set(prod.problems.map(\.subject)) == ["STRIPE_SECRET_KEY", "REQUIRED_EVERYWHERE"])
        #expect(prod.problems.first { $0.subject == "STRIPE_SECRET_KEY" }?.message.contains("required in prod") == true)
    }

    @Test func invalidSecretsAreNeverPrinted() {
        let schema = VariableSchema([VariableSpec("API_TOKEN", .secret(minLength: 32))])
        let (_, problems) = schema.validate(resolved(["API_TOKEN": "hunter2-short"]), tier: .dev)
        #expect(problems.count == 1)
        #expect(!problems[0].description.contains("hunter2"))
    }

    @Test func durationsParseAndFormat() {
        #expect(DurationFormat.parse("250ms") == .milliseconds(250))
        #expect(DurationFormat.parse("1h30m") == .seconds(5_400))
        #expect(DurationFormat.parse("2d") == .seconds(172_800))
        #expect(DurationFormat.parse("0") == .zero)
        #expect(DurationFormat.parse("30") == nil)
        #expect(DurationFormat.parse("5 minutes") == nil)
        #expect(DurationFormat.format(.seconds(90)) == "1m30s")
    }
}
