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
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(validatingCString: $0) }
            }
            guard let name else {
                bad += 1
                continue
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        return Listing(names: names, unreadableNames: bad)
    }

    public static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { throw FileSystemError.last("cannot read link", path) }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
