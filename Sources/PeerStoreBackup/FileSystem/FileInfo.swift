#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `lstat` says about a path, in the terms a tree entry needs.
public struct FileInfo: Sendable, Equatable {
    public enum Kind: Sendable { case file, directory, symlink, other }

    public var kind: Kind
    public var mode: UInt32
    public var size: UInt64
    public var mtime: Timestamp
    /// The last change of the inode (content, mode, owner, links, times set by hand); nobody can set it back.
    public var ctime: Timestamp
    public var uid: UInt32
    public var gid: UInt32
    public var inode: UInt64
    public var device: UInt64
    /// How many hard links (names) the file has.
    public var links: UInt64

    public static func lstat(_ path: LocalPath) throws(FileSystemError) -> FileInfo {
        var st = stat()
        guard path.withCString({ Glibc.lstat($0, &st) }) == 0 else { throw FileSystemError.last("cannot read", path) }
        return FileInfo(st)
    }

    public static func lstat(_ path: String) throws(FileSystemError) -> FileInfo { try lstat(LocalPath(path)) }

    public static func fstat(_ fd: Int32, path: LocalPath) throws(FileSystemError) -> FileInfo {
        var st = stat()
        guard Glibc.fstat(fd, &st) == 0 else { throw FileSystemError.last("cannot read", path) }
        return FileInfo(st)
    }

    /// True when size, mtime and ctime are those of `other`: nothing wrote to the file in between (as far as the
    /// clock's resolution tells).
    public func hasSameContentState(as other: FileInfo) -> Bool {
        size == other.size && mtime == other.mtime && ctime == other.ctime
    }

    init(_ st: stat) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        mode = UInt32(st.st_mode & 0o7777)
        size = UInt64(st.st_size)
        mtime = Timestamp(seconds: Int64(st.st_mtim.tv_sec), nanoseconds: UInt32(st.st_mtim.tv_nsec))
        ctime = Timestamp(seconds: Int64(st.st_ctim.tv_sec), nanoseconds: UInt32(st.st_ctim.tv_nsec))
        uid = st.st_uid
        gid = st.st_gid
        inode = UInt64(st.st_ino)
        device = UInt64(st.st_dev)
        links = UInt64(st.st_nlink)
    }
}

/// A failed file-system call, with the path and the system's reason.
public struct FileSystemError: Error, CustomStringConvertible, Sendable {
    public let description: String

    static func last(_ what: String, _ path: String) -> FileSystemError {
        FileSystemError(description: "\(what) \(path): \(String(cString: strerror(errno)))")
    }

    /// The same, the path shown escaped (`LocalPath.description`).
    static func last(_ what: String, _ path: LocalPath) -> FileSystemError { last(what, path.description) }
}
