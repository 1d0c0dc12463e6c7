import Foundation

/// Runs the built executables as a normal user (uid and gid 65534, `nobody`), as a real deployment does, through
/// `setpriv`. The tests run as root, which may do what a normal user may not (set SO_DEBUG, write anywhere), so a
/// test that only ever runs as root can hide a failure every real deployment meets.
///
/// The executables are copied into a folder of the test's own, so that the user can run them wherever the build is.
/// When the tests themselves run as a normal user (scripts/test.sh runs the end-to-end suite a second time as
/// `nobody`), that user is the one, and commands run as they are.
public struct UnprivilegedUser: Sendable {
    public let uid: UInt32
    public let gid: UInt32
    /// Where the copies of the executables are.
    public let binDir: String
    /// Whether commands go through setpriv (the tests run as root) or run as they are (they already run unprivileged).
    private let switches: Bool

    /// Copies `peerstore-server` and `peerstore-client` into `folder` (created 0755).
    public init(copyingExecutablesInto folder: String) throws {
        switches = getuid() == 0
        uid = switches ? 65534 : getuid()
        gid = switches ? 65534 : getgid()
        guard !switches || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw TestKitError("/usr/bin/setpriv is missing (Debian's util-linux)")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        for name in ["peerstore-server", "peerstore-client"] {
            let copy = folder + "/" + name
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: try BinaryLocator.path(of: name), toPath: copy)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy)
        }
        binDir = folder
    }

    /// The command line that runs `executable` with `arguments` as this user.
    public func commandLine(_ executable: String, _ arguments: [String]) -> (executable: String, arguments: [String]) {
        switches
            ? ("/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--", binDir + "/" + executable] + arguments)
            : (binDir + "/" + executable, arguments)
    }

    /// Makes `path` (a folder, created if missing) this user's, so that it may write there.
    public func own(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard !switches || chown(path, uid, gid) == 0 else { throw TestKitError("cannot chown \(path): errno \(errno)") }
    }
}
