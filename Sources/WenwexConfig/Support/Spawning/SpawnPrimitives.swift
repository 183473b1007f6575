import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The pipes made for one spawn: the child's ends are closed here once it has them, the
/// parent's are handed to ``SpawnedChild`` (or closed when the spawn fails).
struct SpawnPipes {
    enum ChildEnd { case read, write }

    private var childEnds: [Int32] = []
    private var parentEnds: [Int32] = []

    /// A close-on-exec pipe; `childEnd` says which end the child gets.
    mutating func make(childEnd: ChildEnd) throws -> (child: Int32, parent: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let pair = childEnd == .read ? (child: ends[0], parent: ends[1]) : (child: ends[1], parent: ends[0])
        childEnds.append(pair.child)
        parentEnds.append(pair.parent)
        return pair
    }

    mutating func closeChildEnds() {
        for end in childEnds { close(end) }
        childEnds = []
    }

    mutating func closeAll() {
        closeChildEnds()
        for end in parentEnds { close(end) }
        parentEnds = []
    }
}

/// `posix_spawn_file_actions_t`, in memory of its own (the C library keeps pointers into it).
final class SpawnFileActions {
    let raw = UnsafeMutablePointer<posix_spawn_file_actions_t>.allocate(capacity: 1)

    init() throws {
        try check(posix_spawn_file_actions_init(raw))
    }

    deinit {
        posix_spawn_file_actions_destroy(raw)
        raw.deallocate()
    }

    func open(_ descriptor: Int32, _ path: String, _ flags: Int32) throws {
        try check(posix_spawn_file_actions_addopen(raw, descriptor, path, flags, 0o644))
    }

    func dup(_ source: Int32, to target: Int32) throws {
        try check(posix_spawn_file_actions_adddup2(raw, source, target))
    }

    /// Points the child's `descriptor` (1 or 2) where `output` says.
    func route(_ descriptor: Int32, _ output: SpawnedChild.Output, pipe: Int32?) throws {
        switch output {
        case .inherit: break
        case .null: try open(descriptor, "/dev/null", O_WRONLY)
        case .pipe: try dup(pipe!, to: descriptor)
        case .file(let path): try open(descriptor, path, O_WRONLY | O_CREAT | O_APPEND)
        case .other: try dup(descriptor == 1 ? 2 : 1, to: descriptor)
        }
    }

    /// The child's working directory (glibc 2.29 and later, macOS 10.15 and later).
    func changeDirectory(to path: String) throws {
        typealias AddChangeDirectory =
            @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        guard let symbol = CLibrary.symbol("posix_spawn_file_actions_addchdir_np") else {
            throw SpawnUnsupported(
                description: "this C library cannot set a child's working directory "
                    + "(posix_spawn_file_actions_addchdir_np needs glibc 2.29 or later)"
            )
        }
        try check(unsafeBitCast(symbol, to: AddChangeDirectory.self)(raw, path))
    }

    /// Closes every descriptor above 2 in the child.
    ///
    /// glibc 2.34 and later do it in one step (`close_range`). Older ones get a close action for
    /// each descriptor open now, found with `fcntl` (not by listing `/proc/self/fd`, which is
    /// where Foundation's own emulation goes wrong). Darwin uses `POSIX_SPAWN_CLOEXEC_DEFAULT`
    /// (``SpawnAttributes``) instead.
    func closeEverythingAbove2() throws {
        #if canImport(Glibc)
            typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            if let symbol = CLibrary.symbol("posix_spawn_file_actions_addclosefrom_np") {
                try check(unsafeBitCast(symbol, to: AddCloseFrom.self)(raw, 3))
                return
            }
            let limit = min(Int32(clamping: sysconf(Int32(_SC_OPEN_MAX))), 1 << 16)
            for descriptor in 3..<max(limit, 3) where fcntl(descriptor, F_GETFD) != -1 {
                try check(posix_spawn_file_actions_addclose(raw, descriptor))
            }
        #endif
    }
}

/// `posix_spawnattr_t`: an empty signal mask and default `SIGPIPE` for the child.
final class SpawnAttributes {
    let raw = UnsafeMutablePointer<posix_spawnattr_t>.allocate(capacity: 1)

    init() throws {
        try check(posix_spawnattr_init(raw))
        var none = sigset_t()
        sigemptyset(&none)
        try check(posix_spawnattr_setsigmask(raw, &none))
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        try check(posix_spawnattr_setsigdefault(raw, &pipeSignal))
        var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        #if canImport(Darwin)
            flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        try check(posix_spawnattr_setflags(raw, Int16(flags)))
    }

    deinit {
        posix_spawnattr_destroy(raw)
        raw.deallocate()
    }
}

/// A NULL-terminated array of C strings (`argv`, `envp`), freed with it.
final class CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        pointers[strings.count] = nil
    }

    deinit {
        for index in 0..<count { free(pointers[index]) }
        pointers.deallocate()
    }
}

/// A C library function looked up at run time: the spawn extensions are not in every version,
/// and Swift does not import their `_GNU_SOURCE` declarations.
enum CLibrary {
    static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        #if canImport(Glibc)
            dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)  // RTLD_DEFAULT
        #else
            dlsym(UnsafeMutableRawPointer(bitPattern: -2), name)  // RTLD_DEFAULT
        #endif
    }
}

/// The C library lacks a spawn feature Wenwex asked for.
struct SpawnUnsupported: Error, CustomStringConvertible {
    var description: String
}

/// A `posix_spawn*` call's result: zero, or the error number it returns (they do not set
/// `errno`).
private func check(_ result: Int32) throws {
    guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
}
