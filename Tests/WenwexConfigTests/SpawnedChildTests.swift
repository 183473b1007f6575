import Foundation
import Testing
import WenwexConfig

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Starting child processes")
struct SpawnedChildTests {
    /// Foundation's `Process.run()` read past its directory buffer (and crashed the process)
    /// with about 1,360 descriptors open; none of them may reach the child either.
    @Test func aChildStartsBesideThousandsOfOpenDescriptorsAndInheritsNoneOfThem() throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let wanted = 3_000
        if Int(limit.rlim_cur) < wanted + 100 {
            limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted + 100))
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let count = min(wanted, Int(limit.rlim_cur) - 100)
        #expect(count >= 1_500, "the descriptor limit (\(limit.rlim_cur)) is too low for this test")
        // Opened without close-on-exec, as a careless library would.
        let descriptors = (0..<count).map { _ in open("/dev/null", O_RDONLY) }
        defer { descriptors.forEach { close($0) } }
        #expect(descriptors.allSatisfy { $0 >= 0 })

        let listing = try run("/bin/sh", ["-c", "ls /proc/$$/fd"])
        let inherited = Set(listing.text.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) })
        // The shell's own 0, 1, 2; `ls` may add one for the directory it reads in its own
        // process, but the shell's list is of the shell.
        #expect(inherited == [0, 1, 2], "the child inherited \(inherited.subtracting([0, 1, 2]).sorted().prefix(10))")
        #expect(listing.status == .exited(0))
    }

    @Test func standardErrorCanJoinStandardOutput() throws {
        let result = try run("/bin/sh", ["-c", "echo out; echo err >&2"], error: .other)
        #expect(result.text == "out\nerr\n")
    }

    @Test func theEnvironmentAndWorkingDirectoryAreTheOnesGiven() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run(
            "/bin/sh",
            ["-c", "pwd; echo \"$ONLY|$HOME\""],
            environment: ["ONLY": "this"],
            directory: directory
        )
        let lines = result.text.split(separator: "\n").map(String.init)
        #expect(
            lines.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
                == directory.resolvingSymlinksInPath().path
        )
        #expect(lines.last == "this|")
    }

    @Test func outputToAFileIsAppended() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: file) }
        for word in ["one", "two"] {
            let child = try SpawnedChild("/bin/echo", [word], input: .null, output: .file(file.path), error: .other)
            #expect(child.waitForExit() == .exited(0))
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "one\ntwo\n")
    }

    /// A test process blocks some signals and ignores SIGPIPE; a child must not inherit that, or
    /// `SIGTERM` would never stop it.
    @Test func aChildStartsWithNoSignalsBlockedAndCanBeStopped() async throws {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let child = try SpawnedChild("/bin/sleep", ["60"], input: .null, output: .null, error: .null)
        #expect(child.endedYet() == nil)
        child.send(SIGTERM)
        #expect(await child.exit() == .signalled(SIGTERM))
        #expect(child.waitForExit() == .signalled(SIGTERM), "a second wait returns the first answer")
        #expect(child.waitForExit().status == 128 + SIGTERM)
    }

    @Test func theExitStatusIsReported() throws {
        #expect(try run("/bin/sh", ["-c", "exit 7"]).status == .exited(7))
    }

    @Test func aMissingProgramIsAClearError() {
        let missing = "/nonexistent/wenwex-\(UUID().uuidString)"
        #expect {
            _ = try SpawnedChild(missing, input: .null, output: .null, error: .null)
        } throws: { error in
            let text = String(describing: error)
            return text.contains(missing) && text.contains("No such file or directory")
        }
    }

    private func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        directory: URL? = nil,
        error: SpawnedChild.Output = .null
    ) throws -> (status: SpawnedChild.Termination, text: String) {
        let child = try SpawnedChild(
            executable,
            arguments,
            environment: environment,
            directory: directory,
            input: .null,
            output: .pipe,
            error: error
        )
        let text = String(decoding: PipeReading.readToEnd(descriptor: child.standardOutput!), as: UTF8.self)
        close(child.standardOutput!)
        return (child.waitForExit(), text)
    }
}
