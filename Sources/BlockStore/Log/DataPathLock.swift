import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a data path (`LOCK`, flock), so two nodes never write the same store.
final class DataPathLock: @unchecked Sendable {
    private let mutex = NSLock()
    private var fd: Int32

    init(directory: String) throws {
        let path = directory + "/LOCK"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BlockStoreError.io("open \(path)", errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw BlockStoreError(
                .locked, "data path \(directory) is in use by another peerstore-server (lock \(path) is held)")
        }
        self.fd = fd
    }

    /// Releases the lock (closing the descriptor drops the flock); later calls do nothing.
    func release() {
        mutex.lock()
        defer { mutex.unlock() }
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }
}
