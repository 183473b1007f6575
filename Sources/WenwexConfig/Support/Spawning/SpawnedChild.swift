public import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program Wenwex started (`pg_dump`, `pg_ctl`, a seed command, a test's `wenwex`), and the
/// pipes it was given.
///
/// Every child goes through `posix_spawn` here, never Foundation's `Process`. On Linux,
/// `Process.run()` emulates close-on-exec by listing `/proc/self/fd`, and copies each entry's
/// full 256-byte name out of glibc's directory buffer. Past about 1,360 open descriptors (a
/// server with many connections, a parallel test run), the last entry sits at the end of that
/// 32 KiB buffer. The copy then reads beyond it, and the whole process dies with SIGSEGV. Its
/// exit tracking (a SIGCHLD handler) has also missed children under load, which then waited
/// forever.
///
/// Here the child closes every descriptor above 2 itself, so none of ours (a socket, a pipe, a
/// database file) lives on in a server a tool starts. It starts with an empty signal mask and
/// default `SIGPIPE` (a Swift process blocks some signals and ignores `SIGPIPE`, and a child
/// would inherit both). It is reaped by `waitpid`.
public final class SpawnedChild: Sendable {
    /// Where the child's standard input comes from.
    public enum Input: Sendable {
        /// This process's own standard input.
        case inherit
        /// `/dev/null`: a program that would prompt sees end of file.
        case null
        /// A pipe; write to ``SpawnedChild/standardInput`` and close it to end the input.
        case pipe
    }

    /// Where one of the child's output streams goes.
    public enum Output: Sendable {
        /// This process's own stream.
        case inherit
        /// `/dev/null`.
        case null
        /// A pipe; read ``SpawnedChild/standardOutput`` (or `standardError`) to its end.
        case pipe
        /// Appended to the file at this path, created (mode 0644) when missing.
        case file(String)
        /// Wherever the other output stream goes (`2>&1`, or `1>&2`).
        case other
    }

    /// How a child ended.
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The exit status, or 128 plus the signal number, as a shell reports it.
        public var status: Int32 {
            switch self {
            case .exited(let code): code
            case .signalled(let signal): 128 + signal
            }
        }
    }

    /// `posix_spawn` refused to start the program.
    public struct Failure: Error, CustomStringConvertible {
        public var executable: String
        public var code: Int32
        public var description: String {
            "\(executable) could not be started: \(String(cString: strerror(code)))"
        }
    }

    public let pid: pid_t
    /// The write end of the child's standard input, when it was `.pipe`. The caller closes it.
    public let standardInput: Int32?
    /// The read end of the child's standard output, when it was `.pipe`. The caller closes it.
    public let standardOutput: Int32?
    /// The read end of the child's standard error, when it was `.pipe`. The caller closes it.
    public let standardError: Int32?
    private let termination = Mutex<Termination?>(nil)
    /// Set once the child is reaped: its pid may then belong to another process.
    private let reaped = Atomic<Bool>(false)

    /// Starts `executable` (a path; there is no `PATH` search) with `arguments`.
    ///
    /// `environment` replaces this process's when given. `directory` is the child's working
    /// directory. Paths of `.file` outputs are opened before the child changes directory.
    public init(
        _ executable: String,
        _ arguments: [String] = [],
        environment: [String: String]? = nil,
        directory: URL? = nil,
        input: Input = .inherit,
        output: Output = .inherit,
        error: Output = .inherit
    ) throws {
        if case .other = output, case .other = error {
            preconditionFailure("SpawnedChild: standard output and error cannot both be .other")
        }
        var pipes = SpawnPipes()
        do {
            let stdin = input == .pipe ? try pipes.make(childEnd: .read) : nil
            let stdout = output.isPipe ? try pipes.make(childEnd: .write) : nil
            let stderr = error.isPipe ? try pipes.make(childEnd: .write) : nil

            let actions = try SpawnFileActions()
            switch input {
            case .inherit: break
            case .null: try actions.open(0, "/dev/null", O_RDONLY)
            case .pipe: try actions.dup(stdin!.child, to: 0)
            }
            // The stream that copies the other goes second, so it copies the finished one.
            if case .other = output {
                try actions.route(2, error, pipe: stderr?.child)
                try actions.route(1, output, pipe: nil)
            } else {
                try actions.route(1, output, pipe: stdout?.child)
                try actions.route(2, error, pipe: stderr?.child)
            }
            if let directory { try actions.changeDirectory(to: directory.path) }
            try actions.closeEverythingAbove2()

            let attributes = try SpawnAttributes()

            let argv = CStringArray([executable] + arguments)
            let environmentList = environment.map { CStringArray($0.map { "\($0.key)=\($0.value)" }) }
            var child: pid_t = 0
            let spawned = withExtendedLifetime((argv, environmentList)) {
                posix_spawn(
                    &child,
                    executable,
                    actions.raw,
                    attributes.raw,
                    argv.pointers,
                    environmentList?.pointers ?? environ
                )
            }
            pipes.closeChildEnds()
            guard spawned == 0 else { throw Failure(executable: executable, code: spawned) }
            pid = child
            standardInput = stdin?.parent
            standardOutput = stdout?.parent
            standardError = stderr?.parent
        } catch {
            pipes.closeAll()
            throw error
        }
    }

    /// Blocks until the child ends, and reaps it. Safe to call more than once, from any
    /// thread (later calls return the first answer), and beside ``endedYet()``.
    public func waitForExit() -> Termination {
        while true {
            if let ended = endedYet() { return ended }
            // Waits without reaping (`WNOWAIT`), and without the lock, so a concurrent
            // `endedYet()` or `send(_:)` does not wait behind it; `endedYet()` then reaps.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        }
    }

    /// How the child ended, or `nil` while it runs; never waits.
    public func endedYet() -> Termination? {
        termination.withLock { known in
            if let known { return known }
            var raw: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &raw, WNOHANG) } while result == -1 && errno == EINTR
            guard result == pid else { return nil }
            // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out: Swift does not import the macros.
            let signal = raw & 0x7f
            let ended: Termination = signal == 0 ? .exited((raw >> 8) & 0xff) : .signalled(signal)
            known = ended
            reaped.store(true, ordering: .releasing)
            return ended
        }
    }

    /// Waits for the child on a thread of its own, so a long wait holds none of the
    /// cooperative pool's few threads.
    public func exit() async -> Termination {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.waitForExit()) }
        }
    }

    /// Sends `signal` to the child (nothing once it has been reaped).
    public func send(_ signal: Int32) {
        if !reaped.load(ordering: .acquiring) { kill(pid, signal) }
    }
}

extension SpawnedChild.Input: Equatable {}

extension SpawnedChild.Output {
    fileprivate var isPipe: Bool {
        if case .pipe = self { return true }
        return false
    }
}
