#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One open segment file: positional reads and writes on a file descriptor, nothing more.
final class SegmentFile: @unchecked Sendable {
    static let fileHeader: [UInt8] = Array("PEERSTORE-SEG-v1".utf8)  // 16 bytes

    let number: Int
    let path: String
    let fd: Int32

    init(number: Int, path: String, create: Bool) throws {
        self.number = number
        self.path = path
        let flags = create ? (O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC) : (O_RDWR | O_CLOEXEC)
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else { throw BlockStoreError.io("open segment \(path)", errno) }
        self.fd = fd
    }

    deinit { close(fd) }

    static func name(for number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits + ".seg"
    }

    func size() throws -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw BlockStoreError.io("stat \(path)", errno) }
        return Int(st.st_size)
    }

    func read(at offset: Int, count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw BlockStoreError.io("read \(path)", errno)
            }
            if n == 0 { break }
            done += n
        }
        if done < count { out.removeLast(count - done) }
        return out
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw BlockStoreError.io("write \(path)", errno)
            }
            done += n
        }
    }

    /// Writes `first` then `second` at `offset`, in one system call when the kernel takes both at once.
    func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, at offset: Int) throws {
        guard first.count > 0, second.count > 0 else {
            try write(first, at: offset)
            return try write(second, at: offset + first.count)
        }
        var parts = [iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress!), iov_len: first.count),
                     iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress!), iov_len: second.count)]
        var n: Int
        repeat { n = pwritev(fd, &parts, 2, off_t(offset)) } while n < 0 && errno == EINTR
        guard n >= 0 else { throw BlockStoreError.io("write \(path)", errno) }
        // A short write (rare on a regular file) finishes with plain writes of what is left.
        if n < first.count {
            try write(UnsafeRawBufferPointer(rebasing: first[n...]), at: offset + n)
            try write(second, at: offset + first.count)
        } else if n < first.count + second.count {
            try write(UnsafeRawBufferPointer(rebasing: second[(n - first.count)...]), at: offset + n)
        }
    }

    func sync() throws {
        #if canImport(Glibc)
        let rc = fdatasync(fd)
        #else
        let rc = fsync(fd)
        #endif
        guard rc == 0 else { throw BlockStoreError.io("fdatasync \(path)", errno) }
    }

    func truncate(to size: Int) throws {
        guard ftruncate(fd, off_t(size)) == 0 else { throw BlockStoreError.io("truncate \(path)", errno) }
        try sync()
    }
}

extension BlockStoreError {
    /// The error of a failed system call: `noSpace` when the filesystem is full, else `io`.
    static func io(_ what: String, _ code: Int32) -> BlockStoreError {
        BlockStoreError(code == ENOSPC || code == EDQUOT ? .noSpace : .io, "\(what): \(String(cString: strerror(code)))")
    }
}

/// fsyncs a directory so that a newly created file's name is durable.
func syncDirectory(_ path: String) throws {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw BlockStoreError.io("open directory \(path)", errno) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw BlockStoreError.io("fsync directory \(path)", errno) }
}
