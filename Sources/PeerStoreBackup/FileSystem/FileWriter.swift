#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one restored file through a hidden temp file in the target folder, renamed into place only when whole,
/// so a failure never leaves a half-written or empty file under the real name (or straight under its name inside a
/// restore's hidden work folder, which is renamed into place only when everything is whole). Zeros filling whole 4 KiB blocks of the
/// file are not written, so they become holes (see `ZeroRuns`): a sparse file comes back sparse.
struct FileWriter: ~Copyable {
    let finalPath: LocalPath
    let tempPath: LocalPath
    private let fd: Int32
    private var offset = 0
    /// Where the last byte actually written ends: the file's size so far, before `commit` sets the full size.
    private var writtenEnd = 0
    private var done = false

    /// The mode the file was created with when the umask left it whole (then no chmod is needed for that mode).
    private let createdWithMode: UInt32?

    /// `direct`: write under the final name at once. Only for a folder that is itself hidden until the whole restore is
    /// done (a failed file is still removed); it saves a rename per file, and a file whose `mode` the umask leaves
    /// whole is created with it (it saves a chmod). Otherwise the file is created readable by its owner only.
    init(finalPath: LocalPath, direct: Bool = false, mode: UInt32? = nil) throws {
        self.finalPath = finalPath
        tempPath = direct ? finalPath : TempName.path(for: finalPath)
        var kept: UInt32?
        if direct, let mode, mode & 0o7000 == 0, let umask = ProcessUmask.current, mode & umask == 0 { kept = mode }
        createdWithMode = kept
        let createMode = mode_t(kept ?? 0o600)
        fd = tempPath.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, createMode) }
        guard fd >= 0 else { throw FileSystemError.last("cannot create", tempPath) }
    }

    deinit {
        if !done {
            close(fd)
            tempPath.withCString { _ = unlink($0) }
        }
    }

    /// Writes the next bytes of the file, leaving out its zero blocks (the final size is set by ftruncate).
    mutating func append(_ bytes: [UInt8]) throws {
        defer { offset += bytes.count }
        try bytes.withUnsafeBytes { raw in
            var start = 0
            for hole in ZeroRuns.holes(in: raw, fileOffset: offset) {
                try write(raw, start..<hole.lowerBound)
                start = hole.upperBound
            }
            try write(raw, start..<raw.count)
        }
    }

    /// Writes `range` of `raw` at its place in the file (`offset` is where `raw` starts).
    private mutating func write(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>) throws {
        var done = range.lowerBound
        while done < range.upperBound {
            let n = pwrite(fd, raw.baseAddress! + done, range.upperBound - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError.last("cannot write", tempPath)
            }
            done += n
        }
        if range.upperBound > range.lowerBound { writtenEnd = max(writtenEnd, offset + range.upperBound) }
    }

    /// Sets size, mode, owner (as root) and mtime, then renames into place.
    /// `replaceIf` runs just before the rename: false leaves the final path alone (the temp file is removed) and throws.
    consuming func commit(mode: UInt32, mtime: Timestamp, uid: UInt32?, gid: UInt32?, replaceIf: (() -> Bool)? = nil) throws {
        // Only a file that ends in a hole (or is all holes) needs its size set; a truncate is not free on ext4.
        if writtenEnd != offset {
            guard ftruncate(fd, off_t(offset)) == 0 else { throw FileSystemError.last("cannot size", tempPath) }
        }
        if let uid, let gid {
            var now = stat()
            if fstat(fd, &now) != 0 || now.st_uid != uid || now.st_gid != gid { _ = fchown(fd, uid, gid) }
        }
        if createdWithMode != mode {
            guard fchmod(fd, mode_t(mode)) == 0 else { throw FileSystemError.last("cannot set mode of", tempPath) }
        }
        var times = [timespec(tv_sec: Int(mtime.seconds), tv_nsec: Int(mtime.nanoseconds)),
                     timespec(tv_sec: Int(mtime.seconds), tv_nsec: Int(mtime.nanoseconds))]
        guard futimens(fd, &times) == 0 else { throw FileSystemError.last("cannot set times of", tempPath) }
        // Marked done before the result is looked at: a failed close has still released the descriptor, and deinit
        // closing the number again could close another writer's file.
        done = true
        guard close(fd) == 0 else {
            let error = FileSystemError.last("cannot close", tempPath)
            tempPath.withCString { _ = unlink($0) }
            throw error
        }
        guard tempPath != finalPath else { return }
        if let replaceIf, !replaceIf() {
            tempPath.withCString { _ = unlink($0) }
            throw FileSystemError(description: "\(finalPath) changed on disk while its new version was fetched; left as it is")
        }
        guard tempPath.withCString({ from in finalPath.withCString { rename(from, $0) } }) == 0 else {
            let error = FileSystemError.last("cannot rename into", finalPath)
            tempPath.withCString { _ = unlink($0) }
            throw error
        }
    }
}

/// Sets a path's mtime (not following a symlink) and, for non-links, its mode.
func applyMetadata(_ path: LocalPath, mode: UInt32?, mtime: Timestamp, uid: UInt32?, gid: UInt32?) throws {
    if let uid, let gid { _ = path.withCString { lchown($0, uid, gid) } }
    if let mode, path.withCString({ chmod($0, mode_t(mode)) }) != 0 { throw FileSystemError.last("cannot set mode of", path) }
    var times = [timespec(tv_sec: Int(mtime.seconds), tv_nsec: Int(mtime.nanoseconds)),
                 timespec(tv_sec: Int(mtime.seconds), tv_nsec: Int(mtime.nanoseconds))]
    guard path.withCString({ utimensat(AT_FDCWD, $0, &times, AT_SYMLINK_NOFOLLOW) }) == 0 else {
        throw FileSystemError.last("cannot set times of", path)
    }
}
