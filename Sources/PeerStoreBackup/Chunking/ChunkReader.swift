import PeerStoreConcurrency
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a file descriptor as content-defined chunks. Holds at most the maximum chunk size and 1 MiB more in memory
/// (`bufferSize`), whatever the file's size.
public struct ChunkReader: ~Copyable {
    private let fd: Int32
    private let chunker: FastCDC
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var eof = false
    /// Bytes read from the file so far.
    public private(set) var bytesRead = 0

    /// `sizeHint`, the file's size when known, keeps the buffer small for small files; it grows if the file does.
    public init(fd: Int32, chunker: FastCDC = FastCDC(), sizeHint: Int? = nil) {
        self.fd = fd
        self.chunker = chunker
        let full = Self.bufferSize(chunker)
        let size = sizeHint.map { min(full, max(64 << 10, $0 + 4096)) } ?? full
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// The buffer of a large file: room for a full chunk before every cut, and for reads of at least 1 MiB after it.
    /// (Twice the largest chunk before: 3 MiB more per large file being read, a part of a backup's peak, for no gain.)
    static func bufferSize(_ chunker: FastCDC) -> Int { chunker.settings.maxSize + (1 << 20) }

    /// Calls `body` with the next chunk, in place in the reader's buffer (valid only during the call); nil at the end
    /// of the file.
    public mutating func withNextChunk<T>(_ body: (UnsafeRawBufferPointer) throws -> T) throws -> T? {
        try fill()
        if start == end { return nil }
        let window = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
        let cut = eof ? chunker.cutPoint(window) : chunker.cutPoint(UnsafeRawBufferPointer(rebasing: window.prefix(chunker.settings.maxSize)))
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[start..<(start + cut)])
        start += cut
        return try body(chunk)
    }

    /// Ensures at least `maxSize` bytes are buffered, or that the file is exhausted.
    private mutating func fill() throws {
        while let target = nextReadTarget() {
            didRead(try target.read())
        }
    }

    /// The reads `withNextChunk` would make, made on a `BlockingThreads.fileReads` thread: a read that waits for the
    /// disk then holds none of the concurrency pool's threads.
    public mutating func fillOnReadThread() async throws {
        while let target = nextReadTarget() {
            didRead(try await BlockingThreads.fileReads.run { try target.read() })
        }
    }

    /// Where the next read goes; nil once `maxSize` bytes are buffered or the file is exhausted.
    private mutating func nextReadTarget() -> ReadTarget? {
        let want = chunker.settings.maxSize
        if end - start >= want || eof { return nil }
        if start > 0 {
            let count = end - start
            if count > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: count) }
            start = 0
            end = count
        }
        if end == buffer.count {
            // A file larger than its size hint: grow to the full buffer, or chunk boundaries would depend on it.
            let full = Self.bufferSize(chunker)
            guard buffer.count < full else { return nil }
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: full, alignment: 64)
            grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
            buffer.deallocate()
            buffer = grown
        }
        return ReadTarget(fd: fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
    }

    private mutating func didRead(_ n: Int) {
        if n == 0 {
            eof = true
        } else {
            end += n
            bytesRead += n
        }
    }

    /// One read into the free end of the buffer (which the reader owns and does not touch until the read returned).
    private struct ReadTarget: @unchecked Sendable {
        let fd: Int32
        let into: UnsafeMutableRawBufferPointer

        func read() throws -> Int {
            while true {
                let n = Glibc.read(fd, into.baseAddress!, into.count)
                if n >= 0 { return n }
                if errno != EINTR { throw BackupError(.io, "read failed: \(String(cString: strerror(errno)))") }
            }
        }
    }
}
