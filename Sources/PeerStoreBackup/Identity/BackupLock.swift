import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock (flock) on `backup-<device>.lock` in the client home, held for one backup, so two backups of one
/// device never race for its head. The holder writes its pid into the file, for the message the other one prints.
public final class BackupLock: @unchecked Sendable {
    private let mutex = NSLock()
    private var fd: Int32

    /// Takes the lock, or throws at once if another process holds it.
    public convenience init(home: ClientHome, device: String) throws {
        try self.init(path: home.backupLockPath(device: device)) { holder in
            BackupError(
                .concurrentBackup,
                "another backup of this device ('\(device)') is running\(holder); nothing was lost: let it finish, or run this one again later")
        }
    }

    /// Takes the lock at `path`, or throws `busy(" (pid N)")` at once if another process holds it.
    public init(path: String, busy: (String) -> BackupError) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw BackupError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPid(fd)
            close(fd)
            throw busy(holder.map { " (pid \($0))" } ?? "")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.fd = fd
    }

    /// Releases the lock (closing the descriptor drops the flock); later calls do nothing.
    public func release() {
        mutex.lock()
        defer { mutex.unlock() }
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }

    private static func readPid(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
