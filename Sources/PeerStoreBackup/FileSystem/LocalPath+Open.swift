#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalPath {
    /// Opens the file to read it for a backup; -1 with `errno` set if it cannot be. Never follows a symlink put in the
    /// file's place, never hangs on a FIFO (O_NONBLOCK, which has no effect on files), and leaves the access time alone
    /// (O_NOATIME, as restic and Borg read: no inode to write back for each file read) where the process may: the
    /// file's owner or root. Others are refused it with EPERM and open the file as usual.
    private func openForBackup() -> Int32 {
        let flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK
        return withCString { path in
            #if os(Linux)
            let fd = open(path, flags | Self.noAccessTime)
            if fd >= 0 || errno != EPERM { return fd }
            #endif
            return open(path, flags)
        }
    }

    /// Opens the file as `openForBackup()` does and `fstat`s it: the descriptor (the caller closes it) and the file's
    /// metadata just before the read. Refused, closed, when it is no longer the regular file the walk's `lstat` found.
    func openForBackup(expecting info: FileInfo) throws(FileSystemError) -> (fd: Int32, before: FileInfo) {
        let fd = openForBackup()
        guard fd >= 0 else { throw FileSystemError.last("cannot open", self) }
        do throws(FileSystemError) {
            let before = try FileInfo.fstat(fd, path: self)
            guard before.kind == .file, before.inode == info.inode, before.device == info.device else {
                throw FileSystemError(description: "\(self) was replaced while the backup ran; it is left out this time")
            }
            return (fd, before)
        } catch {
            close(fd)
            throw error
        }
    }

    #if os(Linux)
    /// O_NOATIME, which Glibc's module does not export: 0o1000000 on x86, ARM and most other Linux architectures.
    private static let noAccessTime: Int32 = 0o1000000
    #endif
}
