public import Foundation
import WenwexConfig

/// Runs a program to completion and collects what it printed, for tests that drive real
/// executables (`wenwex`, `scripts/pg-cluster`).
public enum ChildProcess {
    /// How a program ended and what it printed.
    public struct Outcome: Sendable {
        /// The exit status, or the signal number when `killedBySignal`.
        public var status: Int32
        public var killedBySignal: Bool
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` with `arguments`; `environment` replaces the inherited one when given.
    ///
    /// The blocking work happens on a new thread (not the cooperative pool, which has a thread
    /// per core and would stall every other test while the program runs). Standard input is
    /// `/dev/null`, so a program that would prompt sees no terminal.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        currentDirectory: URL? = nil
    ) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        try runBlocking(
                            executable,
                            arguments,
                            environment: environment,
                            currentDirectory: currentDirectory
                        )
                    }
                )
            }
        }
    }

    private static func runBlocking(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]?,
        currentDirectory: URL?
    ) throws -> Outcome {
        let child = try SpawnedChild(
            executable,
            arguments,
            environment: environment,
            directory: currentDirectory,
            input: .null,
            output: .pipe,
            error: .pipe
        )
        let stdout = child.standardOutput!
        let stderr = child.standardError!
        // Drain stderr on a second thread: a full pipe would block the program, and with it us.
        let stderrData = CollectedData()
        Thread.detachNewThread {
            stderrData.finish(readCapped(stderr))
            close(stderr)
        }
        let stdoutData = readCapped(stdout)
        close(stdout)
        let termination = child.waitForExit()
        let killedBySignal: Bool
        let status: Int32
        switch termination {
        case .exited(let code): (status, killedBySignal) = (code, false)
        case .signalled(let signal): (status, killedBySignal) = (signal, true)
        }
        return Outcome(
            status: status,
            killedBySignal: killedBySignal,
            stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData.wait(), as: UTF8.self)
        )
    }

    /// The most of a child's output a test keeps per stream.
    public static let outputLimit = 16 << 20

    /// Reads to the end, keeping at most ``outputLimit`` bytes (and a note that the rest was
    /// dropped): a child printing without end must fail its test, not exhaust the memory of the
    /// whole test process (the kernel then kills every test at once, silently).
    private static func readCapped(_ descriptor: Int32) -> Data {
        var kept = Data()
        var dropped = 0
        while true {
            let chunk = readChunk(descriptor)
            if chunk.isEmpty { break }
            let room = max(0, outputLimit - kept.count)
            kept.append(chunk.prefix(room))
            dropped += max(0, chunk.count - room)
        }
        if dropped > 0 { kept.append(Data("\n[ChildProcess: \(dropped) more bytes dropped]\n".utf8)) }
        return kept
    }

    /// One `read(2)` of up to 64 KiB, retried when a signal interrupts it: Foundation's
    /// `availableData` stops the whole process with a fatal error on `EINTR`, which SIGCHLD
    /// from the many children of a parallel test run does cause. Empty at the end (or on error).
    private static func readChunk(_ descriptor: Int32) -> Data {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { return Data(buffer[0..<count]) }
            if count < 0, errno == EINTR { continue }
            return Data()
        }
    }
}

/// Data produced on one thread and awaited (blocking) on another.
private final class CollectedData: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()  // written once before `done` is signalled, read after

    func finish(_ value: Data) {
        data = value
        done.signal()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
