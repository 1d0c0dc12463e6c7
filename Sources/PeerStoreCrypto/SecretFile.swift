import Glibc

/// Files that hold secrets or decide whom to trust (an identity, a node key, a config, pinned keys): created with mode
/// 0600 from the first byte, never through a name someone else could have planted, never half-written, and only in a
/// folder no other user may write to.
/// Failures are `CryptoError`s with code `io` or `unsafeFolder`, each one line that says what to do.
public enum SecretFile {
    /// Writes `bytes` to `path`: a new file under a random name next to it (`O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600, so a
    /// planted file or symlink is never opened), fsync, then rename over `path` (a symlink there is replaced, not
    /// followed) and fsync of the folder. `mode` is 0600 unless a file meant for others to read says otherwise.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        var fd: Int32 = -1
        var tmp = ""
        for _ in 0..<8 {
            tmp = path + ".tmp-" + Hex.encode(SecureRandom.bytes(8))
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw CryptoError(.io, "cannot write \(path): \(String(cString: strerror(errno)))") }
        var ok = fchmod(fd, mode) == 0
        ok = ok && bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) == $0.count }
        ok = ok && fsync(fd) == 0
        let failure = errno
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            let why = String(cString: strerror(ok ? errno : failure))
            unlink(tmp)
            throw CryptoError(.io, "cannot write \(path): \(why)")
        }
        syncFolder(of: path)
    }

    static func syncFolder(of path: String) {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let dir = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    /// Writes `bytes` to a new file `path` (`O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600), then fsync of it and its folder: an
    /// existing file or symlink there is never opened or replaced (the error says it exists). A failed write removes the
    /// file it created.
    public static func createNew(_ bytes: [UInt8], at path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let why = errno == EEXIST ? "it exists already" : String(cString: strerror(errno))
            throw CryptoError(.io, "cannot create \(path): \(why)")
        }
        var ok = fchmod(fd, 0o600) == 0
        ok = ok && bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) == $0.count }
        ok = ok && fsync(fd) == 0
        let failure = errno
        close(fd)
        guard ok else {
            unlink(path)
            throw CryptoError(.io, "cannot write \(path): \(String(cString: strerror(failure)))")
        }
        syncFolder(of: path)
    }

    /// Refuses a folder that group or others may write to; a folder that does not exist yet passes (its creator makes it
    /// 0700). `what` names it in the error ("the client home", "the node's data folder").
    public static func checkFolder(_ path: String, what: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let mode = info.st_mode & 0o7777
        guard mode & 0o022 == 0 else {
            throw CryptoError(.unsafeFolder,
                          "\(what) \(path) can be written by other users (mode \(String(mode, radix: 8))): run `chmod go-w \(path)` and try again")
        }
    }

    /// Creates `path` (and missing parents) with mode 0700 if it does not exist, then checks it.
    public static func prepareFolder(_ path: String, what: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw CryptoError(.io, "cannot create \(what) \(path): \(String(cString: strerror(errno)))")
            }
        }
        try checkFolder(path, what: what)
    }
}
