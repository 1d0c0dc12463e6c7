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

    /// Takes the lock, waiting up to `patience` seconds for a holder that is going away (a previous process still
    /// exiting, or a forked child that has not yet exec'd and so still shares the descriptor).
    init(directory: String, patience: Double = 2) throws {
        let path = directory + "/LOCK"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BlockStoreError.io("open \(path)", errno) }
        var waited = 0.0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 && waited < patience {
            usleep(20_000)
            waited += 0.02
        }
        guard waited < patience else {
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
