import NIOCore
import NIOPosix

/// The threads every SQLite call runs on.
///
/// SQLiteNIO runs each libsqlite3 call on a thread pool, by default NIO's process-wide singleton.
/// That pool has one thread per core and also runs bcrypt, `fsync` and blocking file reads, so on
/// a two-core server two password checks held every query. SQLite gets threads nothing else
/// blocks; a few more than the cores, since a statement often waits on the disk, not the CPU.
enum SQLiteThreadPool {
    static let shared: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(4, System.coreCount))
        pool.start()
        return pool
    }()
}
