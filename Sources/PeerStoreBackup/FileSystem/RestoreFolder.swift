#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a folder a restore writes into. A folder already there (a restore with -force into a non-empty folder) is
/// used; anything else there under that name, a symlink above all, is replaced by the folder, so a restore never
/// writes through a link into a place outside its destination.
enum RestoreFolder {
    static func make(_ path: LocalPath) throws {
        if path.withCString({ mkdir($0, 0o700) }) == 0 { return }
        guard errno == EEXIST else { throw failure(path) }
        if (try? FileInfo.lstat(path))?.kind == .directory { return }
        guard path.withCString({ unlink($0) }) == 0, path.withCString({ mkdir($0, 0o700) }) == 0 else { throw failure(path) }
    }

    private static func failure(_ path: LocalPath) -> BackupError {
        BackupError(.io, "cannot create folder \(path): \(String(cString: strerror(errno)))")
    }
}
