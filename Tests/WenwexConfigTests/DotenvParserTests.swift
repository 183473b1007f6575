import Testing
import WenwexConfig

@Suite("Dotenv parser")
struct DotenvParserTests {
    private func values(_ text: String, environment: [String: String] = [:]) throws -> [String: String] {
        let entries = try DotenvParser.parse(text, path: ".env")
        var result: [String: String] = [:]
        for entry in entries {
            result[entry.name] = entry.value.expanded { result[$0] ?? environment[$0] }
        }
        return result
    }

    @Test func commentsBlankLinesAndExport() throws {
        let parsed = try values(
            """
            # a comment
               # an indented comment

            export HOST=localhost
            export\tPORT=5432
            exported=yes
            """
        )
        #expect(parsed == ["HOST": "localhost", "PORT": "5432", "exported": "yes"])
    }

    @Test func unquotedValuesTrimAndStopAtInlineComments() throws {
        let parsed = try values("A = spaced value   # comment\nB=a#b\nC=\nD=#only comment\n")
        #expect(parsed["A"] == "spaced value")
        #expect(parsed["B"] == "a#b")
        #expect(parsed["C"] == "")
        #expect(parsed["D"] == "")
    }

    @Test func singleQuotesAreLiteral() throws {
        let parsed = try values(#"A='no $EXPANSION or \n escapes # here'"#)
        #expect(parsed["A"] == #"no $EXPANSION or \n escapes # here"#)
    }

    @Test func doubleQuotesProcessEscapes() throws {
        let parsed = try values(#"A="line1\nline2\ttab \"quoted\" \\ \$HOME" # trailing comment"#)
        #expect(parsed["A"] == "line1\nline2\ttab \"quoted\" \\ $HOME")
    }

    @Test func backticksAreLiteral() throws {
        let parsed = try values("A=`it's \"mixed\"`")
        #expect(parsed["A"] == "it's \"mixed\"")
    }

    @Test func multiLineValuesInEveryQuoteStyle() throws {
        let parsed = try values(
            """
            KEY="-----BEGIN KEY-----
            abc
            -----END KEY-----"
            SINGLE='one
            two'
            AFTER=ok
            """
        )
        #expect(parsed["KEY"] == "-----BEGIN KEY-----\nabc\n-----END KEY-----")
        #expect(parsed["SINGLE"] == "one\ntwo")
        #expect(parsed["AFTER"] == "ok")
    }

    @Test func expansionFormsAndFallbacks() throws {
        let parsed = try values(
            """
            USER=app
            HOST=db.local
            URL=postgresql://${USER}@$HOST:${PORT:-5432}/${DB-main}
            EMPTY=
            A=${EMPTY:-colon-dash}
            B=${EMPTY-dash}
            LITERAL="cost: \\$5 and $ alone"
            """
        )
        #expect(parsed["URL"] == "postgresql://app@db.local:5432/main")
        #expect(parsed["A"] == "colon-dash")
        #expect(parsed["B"] == "")
        #expect(parsed["LITERAL"] == "cost: $5 and $ alone")
    }

    @Test func crlfLineEndingsAndByteOrderMark() throws {
        let parsed = try values("\u{FEFF}A=1\r\nB=\"two\"\r\n")
        #expect(parsed == ["A": "1", "B": "two"])
    }

    @Test func laterAssignmentsWin() throws {
        let entries = try DotenvParser.parse("A=1\nA=2\n", path: ".env")
        #expect(entries.count == 1)
        #expect(entries[0].line == 2)
    }

    @Test func malformedLinesReportFileLineAndColumnAllAtOnce() {
        let text = """
            GOOD=1
            NOEQUALS
            BAD NAME=x
            1START=x
            A="closed" junk
            """
        #expect {
            try DotenvParser.parse(text, path: "app/.env")
        } throws: { error in
            let subjects = (error as? ConfigurationError)?.problems.map(\.subject) ?? []
            return subjects == ["app/.env:2:9", "app/.env:3:5", "app/.env:4:1", "app/.env:5:12"]
        }
    }

    @Test func unterminatedQuotePointsAtTheOpeningQuote() {
        #expect {
            try DotenvParser.parse("A=1\nB=\"never closed\nC=3\n", path: ".env")
        } throws: { error in
            guard let problem = (error as? ConfigurationError)?.problems.first else { return false }
            return problem.subject == ".env:2:3" && problem.message.contains("never closed")
        }
    }

    @Test func unclosedReferenceIsAnError() {
        #expect {
            try DotenvParser.parse("A=${B\n", path: ".env")
        } throws: { error in
            (error as? ConfigurationError)?.problems.first?.subject == ".env:1:3"
        }
    }
}
