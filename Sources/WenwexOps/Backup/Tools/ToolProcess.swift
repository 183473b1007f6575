import Foundation
import NIOCore
import NIOPosix
import WenwexStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A database tool (`pg_dump`, `pg_restore`) running as a child process, with its standard
/// output readable as an ``ObjectBody`` and its standard input writable from one, so a dump
/// streams into the store and a payload streams into a restore without touching the disk.
///
/// `posix_spawn`, not Foundation's `Process`: only the three standard descriptors reach the
/// child (a server started by a tool must not hold ours), and reads and writes are plain
/// blocking calls on NIO's thread pool, one buffer at a time, so a slow consumer slows the tool
/// instead of the bytes piling up here. Standard error goes to a file, whose tail explains a
/// failure.
final class ToolProcess: Sendable {
    /// The program's name, for messages.
    let tool: String
    let pid: pid_t
    /// The read end of the child's standard output, when it was asked for.
    private let stdoutDescriptor: Int32?
    /// The write end of the child's standard input, when it was asked for.
    private let stdinDescriptor: Int32?
    let errorLog: URL
    private let exit: Task<Int32, Never>

    struct Failure: Error, CustomStringConvertible {
        var tool: String
        var status: Int32
        var lastLines: String
        var description: String {
            "\(tool) failed with status \(status)" + (lastLines.isEmpty ? "" : ":\n" + lastLines)
        }
    }

    /// Starts `argv[0]` with `environment` added to this process's. `readsInput` gives it a
    /// pipe for standard input (else `/dev/null`); `writesOutput` a pipe for standard output
    /// (else its output joins the error log).
    init(
        _ argv: [String],
        environment: [String: String] = [:],
        readsInput: Bool = false,
        writesOutput: Bool = false
    ) throws {
        // A tool that dies while we write to it must fail the write (EPIPE), not kill us.
        signal(SIGPIPE, SIG_IGN)
        tool = URL(fileURLWithPath: argv[0]).lastPathComponent
        errorLog = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wenwex-\(tool)-\(UUID().uuidString.prefix(8)).log"
        )
        FileManager.default.createFile(atPath: errorLog.path, contents: nil)

        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        if readsInput, pipe(&input) != 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        if writesOutput, pipe(&output) != 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if readsInput {
            posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, errorLog.path, O_WRONLY | O_APPEND, 0o600)
        if writesOutput {
            posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 2, 1)
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) }
        for descriptor in open ?? Array(3..<256) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        let cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let cArguments = argv.map { strdup($0) } + [nil]
        defer {
            cEnvironment.forEach { free($0) }
            cArguments.forEach { free($0) }
        }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, argv[0], &actions, nil, cArguments, cEnvironment)
        for descriptor in [input[0], output[1]] where descriptor >= 0 { close(descriptor) }
        guard spawned == 0 else {
            for descriptor in [input[1], output[0]] where descriptor >= 0 { close(descriptor) }
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT)
        }
        pid = child
        let spawnedPID = child
        stdinDescriptor = readsInput ? input[1] : nil
        stdoutDescriptor = writesOutput ? output[0] : nil
        exit = Task.detached {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    var status: Int32 = 0
                    while waitpid(spawnedPID, &status, 0) == -1 && errno == EINTR {}
                    // WIFEXITED / WEXITSTATUS, spelled out: Swift does not import the macros.
                    let exited = (status & 0x7f) == 0
                    continuation.resume(returning: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
                }
            }
        }
    }

    deinit {
        if let stdoutDescriptor { close(stdoutDescriptor) }
        try? FileManager.default.removeItem(at: errorLog)
    }

    /// The tool's standard output, 1 MiB per pull at most. Single pass.
    var output: ObjectBody {
        let descriptor = stdoutDescriptor ?? -1
        return ObjectBody {
            var finished = descriptor < 0
            return {
                guard !finished else { return nil }
                let chunk = try await PipeThreadPool.shared.runIfActive { () throws -> ByteBuffer? in
                    var buffer = ByteBufferAllocator().buffer(capacity: 1 << 20)
                    var failure: Int32 = 0
                    let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 1 << 20) { raw in
                        var count: Int
                        repeat {
                            count = read(descriptor, raw.baseAddress, raw.count)
                        } while count < 0 && errno == EINTR
                        if count < 0 { failure = errno }
                        return max(count, 0)
                    }
                    if failure != 0 { throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO) }
                    return count == 0 ? nil : buffer
                }
                if chunk == nil { finished = true }
                return chunk
            }
        }
    }

    /// Writes all of `body` to the tool's standard input, then closes it (the tool sees the
    /// end). Throws the tool's own failure when it stopped reading early.
    func feed(_ body: ObjectBody) async throws {
        guard let descriptor = stdinDescriptor else { return }
        do {
            for try await buffer in body {
                try await PipeThreadPool.shared.runIfActive {
                    try buffer.withUnsafeReadableBytes { raw in
                        var offset = 0
                        while offset < raw.count {
                            let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                            if written < 0 {
                                if errno == EINTR { continue }
                                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPIPE)
                            }
                            offset += written
                        }
                    }
                }
            }
        } catch let error as POSIXError where error.code == .EPIPE {
            close(descriptor)
            try await waitForSuccess()
            throw error
        } catch {
            close(descriptor)
            throw error
        }
        close(descriptor)
    }

    /// The exit status, when the tool has ended.
    func waitForExit() async -> Int32 {
        await exit.value
    }

    /// Waits for the tool; throws its status and the end of its error output unless it
    /// succeeded.
    func waitForSuccess() async throws {
        let status = await exit.value
        guard status == 0 else { throw Failure(tool: tool, status: status, lastLines: errorTail()) }
    }

    /// Ends the tool at once (a cancelled or failed backup).
    func terminate() {
        kill(pid, SIGKILL)
    }

    /// The last lines of the tool's error output.
    func errorTail(lines: Int = 8) -> String {
        let text = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
