import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive flock on a `.lock` file beside a small file of the client home, so two runs (or two tasks of one run)
/// that read, change and write that file never lose each other's change. Held only for that read and write.
enum HomeFileLock {
    static func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw BackupError(.io, "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw BackupError(.io, "cannot lock \(lockPath): \(String(cString: strerror(errno)))") }
        }
        return try body()
    }
}
