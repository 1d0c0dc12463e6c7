#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a file descriptor as content-defined chunks. Holds at most twice the maximum chunk size in memory, whatever
/// the file's size.
public struct ChunkReader: ~Copyable {
    private let fd: Int32
    private let chunker: FastCDC
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var eof = false
    /// Bytes read from the file so far.
    public private(set) var bytesRead = 0

    public init(fd: Int32, chunker: FastCDC = FastCDC()) {
        self.fd = fd
        self.chunker = chunker
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * chunker.settings.maxSize, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// The next chunk, or nil at the end of the file.
    public mutating func next() throws -> [UInt8]? {
        try fill()
        if start == end { return nil }
        let window = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
        let cut = eof ? chunker.cutPoint(window) : chunker.cutPoint(UnsafeRawBufferPointer(rebasing: window.prefix(chunker.settings.maxSize)))
        let chunk = [UInt8](UnsafeRawBufferPointer(rebasing: buffer[start..<(start + cut)]))
        start += cut
        return chunk
    }

    /// Ensures at least `maxSize` bytes are buffered, or that the file is exhausted.
    private mutating func fill() throws {
        let want = chunker.settings.maxSize
        if end - start >= want || eof { return }
        if start > 0 {
            let count = end - start
            if count > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: count) }
            start = 0
            end = count
        }
        while end < buffer.count && end - start < want {
            let n = read(fd, buffer.baseAddress! + end, buffer.count - end)
            if n < 0 {
                if errno == EINTR { continue }
                throw BackupError(.io, "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 {
                eof = true
                break
            }
            end += n
            bytesRead += n
        }
    }
}
