import Testing

@testable import WenwexStorage

@Suite struct ObjectKeyTests {
    @Test(arguments: ["a.png", "images/ab/cd.webp", "ü/ünïcode name.txt", "a..b", ".hidden", "%41"])
    func ordinaryKeysAreAccepted(_ text: String) throws {
        #expect(try ObjectKey(text).rawValue == text)
    }

    @Test(arguments: [
        "", "../etc/passwd", "a/../../b", "a/./b", "/absolute", "a//b", "a/", "..", "%2e%2e/x", "a/%2E%2e",
        "a%2fb/../c", "a\\b", "a\u{0}b", "x/%2F", String(repeating: "k", count: 1025),
    ])
    func traversalAndMalformedKeysAreRefused(_ text: String) {
        #expect(throws: ObjectKey.Invalid.self) { try ObjectKey(text) }
    }
}
