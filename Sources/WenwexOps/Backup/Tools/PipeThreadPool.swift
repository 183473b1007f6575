import NIOPosix

/// The threads that read and write the pipes of `pg_dump`, `pg_restore` and `psql`.
///
/// A read on a tool's pipe blocks until the tool writes, which can take seconds while it scans a
/// large table. On NIO's singleton pool (one thread per core) two such reads stopped every other
/// blocking call in the process, SQLite and bcrypt included. Pipes get their own threads, enough
/// that the few tools a backup, restore or clone runs at once never wait for each other.
enum PipeThreadPool {
    static let shared: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()
}
