import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes that survive a power cut: a file's bytes are fsynced before it is renamed into place,
/// and the folder is fsynced after, since a rename lives in the folder's entry and is lost with
/// it otherwise (the object would come back as the old one, or not at all). Blocking: call it
/// off the cooperative pool.
enum DurableFile {
    /// Writes `data` to a new file at `temporary`, fsyncs it, renames it to `url` and fsyncs
    /// `url`'s folder.
    static func write(_ data: Data, to url: URL, through temporary: URL) throws {
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw StorageError.unavailable("cannot create \(temporary.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try rename(temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Renames `source` to `destination` (replacing it) and fsyncs the destination's folder.
    static func rename(_ source: URL, to destination: URL) throws {
        #if canImport(Glibc)
            let renamed = Glibc.rename(source.path, destination.path)
        #else
            let renamed = Darwin.rename(source.path, destination.path)
        #endif
        guard renamed == 0 else {
            throw StorageError.unavailable(
                "cannot move \(source.lastPathComponent) into place at \(destination.path): errno \(errno)"
            )
        }
        try synchronizeFolder(of: destination)
    }

    /// fsyncs the folder holding `url`, so an entry just renamed into it is on disk.
    static func synchronizeFolder(of url: URL) throws {
        let folder = url.deletingLastPathComponent().path
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw StorageError.unavailable("cannot open \(folder): errno \(errno)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StorageError.unavailable("cannot fsync \(folder): errno \(errno)") }
    }
}
