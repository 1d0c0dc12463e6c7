#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small file read whole with blocking calls (a backup makes them on `BlockingThreads.fileReads`): its bytes, and its metadata
/// before and after the read that gave them.
struct WholeFile: Sendable {
    var bytes: [UInt8]
    /// `fstat` just before the read.
    var before: FileInfo
    /// `fstat` just after it.
    var after: FileInfo

    /// The file did not change while it was read: what was read is what `before` describes.
    var settled: Bool { bytes.count == before.size && after.hasSameContentState(as: before) }

    /// Reads the file at `path`, which the walk's `lstat` found as `info`, whole; nil if it holds more than `limit`
    /// bytes (it grew since: the caller reads it as a stream). A file that changes while it is read is read again,
    /// up to `attempts` reads; the last is returned, settled or not. `afterRead` (a test's hook) is called after each
    /// read with its number.
    static func read(_ path: LocalPath, info: FileInfo, limit: Int, attempts: Int, afterRead: ((Int) -> Void)? = nil)
        throws(FileSystemError) -> WholeFile?
    {
        let (fd, opened) = try path.openForBackup(expecting: info)
        defer { close(fd) }
        var before = opened
        for attempt in 0..<attempts {
            if attempt > 0, lseek(fd, 0, SEEK_SET) != 0 { throw FileSystemError.last("cannot read", path) }
            guard let bytes = try readAll(fd, path: path, expected: Int(clamping: before.size), limit: limit) else { return nil }
            afterRead?(attempt)
            let read = WholeFile(bytes: bytes, before: before, after: try FileInfo.fstat(fd, path: path))
            if read.settled || attempt == attempts - 1 { return read }
            before = read.after
        }
        preconditionFailure("the last attempt returns")
    }

    /// The file's bytes from its start; nil past `limit`. Reading stops at `expected` bytes without a read that returns
    /// nothing: the `fstat` after the read tells whether the file grew meanwhile.
    private static func readAll(_ fd: Int32, path: LocalPath, expected: Int, limit: Int) throws(FileSystemError) -> [UInt8]? {
        var capacity = min(expected, limit) + 1
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var count = 0
        while true {
            if count == capacity {
                guard capacity <= limit else { return nil }
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: min(2 * capacity, limit + 1), alignment: 16)
                grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: count)
                buffer.deallocate()
                buffer = grown
                capacity = grown.count
            }
            let n = Glibc.read(fd, buffer.baseAddress! + count, capacity - count)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError.last("cannot read", path)
            }
            if n == 0 { break }
            count += n
            if count > limit { return nil }
            if count == expected { break }
        }
        return [UInt8](UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
}
