public import Foundation

/// Reading a child process's pipe to its end, safely.
///
/// Foundation's `readDataToEndOfFile()` and `availableData` stop the whole process with a
/// fatal error when a signal interrupts the read (`EINTR`), and a child's exit (SIGCHLD) is
/// such a signal. Here `read(2)` is simply retried.
public enum PipeReading {
    /// Everything `handle` yields until end of file (or an error other than `EINTR`).
    public static func readToEnd(_ handle: FileHandle) -> Data {
        readToEnd(descriptor: handle.fileDescriptor)
    }

    /// Everything `descriptor` yields until end of file (or an error other than `EINTR`).
    public static func readToEnd(descriptor: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return data
            }
        }
    }

    /// Runs a short program to its end and returns its exit status and trimmed standard output
    /// (standard input and error are `/dev/null`); `nil` when it cannot be started.
    public static func output(of executable: String, _ arguments: [String], in directory: URL? = nil)
        -> (status: Int32, text: String)?
    {
        guard
            let child = try? SpawnedChild(
                executable,
                arguments,
                directory: directory,
                input: .null,
                output: .pipe,
                error: .null
            ), let descriptor = child.standardOutput
        else { return nil }
        let data = readToEnd(descriptor: descriptor)
        close(descriptor)
        let status = child.waitForExit().status
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (status, text)
    }
}
