#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a small file whole by its byte path (an ignore file, whose folder's name need not be UTF-8).
public enum SmallFile {
    /// The bytes of a small file (an ignore file), or nil if it cannot be read or is larger than `max`.
    public static func contents(of path: LocalPath, max: Int = 1 << 20) -> [UInt8]? {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { return out }
            out += buffer[0..<n]
            if out.count > max { return nil }
        }
    }
}
