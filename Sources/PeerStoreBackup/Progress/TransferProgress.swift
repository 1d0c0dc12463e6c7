import Foundation

/// Counters a long operation (backup, restore) updates as it goes, read by whoever shows progress. Thread-safe.
public final class TransferProgress: @unchecked Sendable {
    /// One reading of the counters.
    public struct Reading: Sendable, Equatable {
        public var files = 0
        public var bytes: UInt64 = 0
        /// What the whole operation will cover, once known (a backup learns it from a quick scan running alongside).
        public var totalFiles: Int?
        public var totalBytes: UInt64?
        public var seconds: Double = 0

        public init(files: Int = 0, bytes: UInt64 = 0, totalFiles: Int? = nil, totalBytes: UInt64? = nil, seconds: Double = 0) {
            self.files = files
            self.bytes = bytes
            self.totalFiles = totalFiles
            self.totalBytes = totalBytes
            self.seconds = seconds
        }
    }

    private let lock = NSLock()
    private var state = Reading()
    private let started = Date()

    public init() {}

    public func add(bytes: Int) {
        lock.lock()
        state.bytes += UInt64(bytes)
        lock.unlock()
    }

    public func fileDone() {
        lock.lock()
        state.files += 1
        lock.unlock()
    }

    public func setTotal(files: Int, bytes: UInt64) {
        lock.lock()
        state.totalFiles = files
        state.totalBytes = bytes
        lock.unlock()
    }

    public var reading: Reading {
        lock.lock()
        var r = state
        lock.unlock()
        r.seconds = Date().timeIntervalSince(started)
        return r
    }
}
