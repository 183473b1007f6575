import Foundation
import NIOCore
import NIOPosix
import WenwexConfig
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
/// Started as a ``SpawnedChild``: only the three standard descriptors reach it. Reads and
/// writes are plain blocking calls on a pool of pipe threads, one buffer at a time, so a slow
/// consumer slows the tool instead of the bytes piling up here. Standard error goes to a file,
/// whose tail explains a failure.
final class ToolProcess: Sendable {
    /// The program's name, for messages.
    let tool: String
    private let child: SpawnedChild
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

        var environmentWithTool = ProcessInfo.processInfo.environment
        environmentWithTool.merge(environment) { _, new in new }
        let child = try SpawnedChild(
            argv[0],
            Array(argv.dropFirst()),
            environment: environmentWithTool,
            input: readsInput ? .pipe : .null,
            output: writesOutput ? .pipe : .other,
            error: .file(errorLog.path)
        )
        self.child = child
        stdinDescriptor = child.standardInput
        stdoutDescriptor = child.standardOutput
        exit = Task.detached { await child.exit().status }
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
        child.send(SIGKILL)
    }

    /// The last lines of the tool's error output.
    func errorTail(lines: Int = 8) -> String {
        let text = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
