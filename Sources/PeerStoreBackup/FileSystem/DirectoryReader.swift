#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists a directory with readdir, in name order, names as bytes.
public enum DirectoryReader {
    public struct Listing: Sendable {
        /// Every entry but `.` and `..`, sorted by bytes; UTF-8 or not.
        public var names: [FileName]
    }

    public static func list(_ path: LocalPath) throws -> Listing {
        guard let dir = path.withCString({ opendir($0) }) else { throw FileSystemError.last("cannot open directory", path) }
        defer { closedir(dir) }
        var names: [FileName] = []
        while let entry = readdir(dir) {
            let name = FileName(bytes: nameBytes(of: UnsafeRawPointer(entry)))
            if name.bytes == [0x2e] || name.bytes == [0x2e, 0x2e] { continue }
            names.append(name)
        }
        names.sort()
        return Listing(names: names)
    }

    /// The name of the entry readdir returned at `entry`, read through a pointer to the `d_name` field up to its NUL and
    /// never past the record's `d_reclen`. The kernel packs records to their length, not to `sizeof(dirent)`: copying
    /// the whole 256-byte `d_name` out of a short last record at the end of a page reads the next page, which may be
    /// unmapped (the segfault of issue 11).
    static func nameBytes(of entry: UnsafeRawPointer) -> [UInt8] {
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        let recordLength = Int(entry.loadUnaligned(fromByteOffset: MemoryLayout<dirent>.offset(of: \dirent.d_reclen)!,
                                                   as: UInt16.self))
        let name = (entry + nameOffset).assumingMemoryBound(to: CChar.self)
        let length = strnlen(name, max(0, min(recordLength - nameOffset, 256)))
        return Array(UnsafeRawBufferPointer(start: entry + nameOffset, count: length))
    }

    /// A symlink's target, as bytes.
    public static func readLink(_ path: LocalPath) throws -> LocalPath {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = path.withCString { p in buffer.withUnsafeMutableBytes { readlink(p, $0.baseAddress!, $0.count - 1) } }
        guard n >= 0 else { throw FileSystemError.last("cannot read link", path) }
        return LocalPath(bytes: Array(buffer[0..<n]))
    }
}
