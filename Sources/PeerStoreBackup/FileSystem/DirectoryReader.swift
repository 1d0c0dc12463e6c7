#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists a directory with readdir, in name order.
public enum DirectoryReader {
    public struct Listing: Sendable {
        public var names: [String]
        /// Entries whose names are not valid UTF-8 (this version cannot store them).
        public var unreadableNames: Int
    }

    public static func list(_ path: String) throws -> Listing {
        guard let dir = opendir(path) else { throw FileSystemError.last("cannot open directory", path) }
        defer { closedir(dir) }
        var names: [String] = []
        var bad = 0
        while let entry = readdir(dir) {
            guard let name = String(validating: nameBytes(of: UnsafeRawPointer(entry)), as: UTF8.self) else {
                bad += 1
                continue
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        return Listing(names: names, unreadableNames: bad)
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

    public static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { throw FileSystemError.last("cannot read link", path) }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
