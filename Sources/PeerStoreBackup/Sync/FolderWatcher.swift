import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells when anything in a folder tree changes (inotify on every folder of it). `rearm` watches folders made since;
/// `wait` blocks until a change or the timeout.
/// Folders it could not watch are collected (`WatchGaps`) for `takeWarning`. Used by one task at a time.
public final class FolderWatcher: @unchecked Sendable {
    /// Adds an inotify watch (descriptor, folder, mask): nil when the folder is watched, else the errno.
    public typealias AddWatch = @Sendable (Int32, String, UInt32) -> Int32?
    public static let inotifyAddWatch: AddWatch = { fd, path, mask in inotify_add_watch(fd, path, mask) >= 0 ? nil : errno }

    private let fd: Int32
    private let addWatch: AddWatch
    private var gaps = WatchGaps()
    static let mask = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM) | UInt32(IN_CREATE)
        | UInt32(IN_DELETE) | UInt32(IN_ATTRIB) | UInt32(IN_MODIFY)

    /// `addWatch` is inotify's unless a test gives another.
    public init(root: String, addWatch: @escaping AddWatch = FolderWatcher.inotifyAddWatch) throws {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw BackupError(.io, "cannot watch \(root) for changes (inotify: \(String(cString: strerror(errno)))); run sync without -watch, from cron") }
        self.addWatch = addWatch
        rearm(root)
    }

    deinit { close(fd) }

    /// Watches `root` and every folder under it (a folder already watched stays watched once).
    public func rearm(_ root: String) {
        watch(root)
        guard let walk = FileManager.default.enumerator(atPath: root) else { return }
        while let relative = walk.nextObject() as? String {
            if (walk.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { watch(root + "/" + relative) }
        }
    }

    private func watch(_ path: String) {
        if let error = addWatch(fd, path, Self.mask) { gaps.failed(path, error: error) } else { gaps.watched(path) }
    }

    /// One line about the folders that could not be watched and were not told yet (nil if none); `poll` in seconds.
    public func takeWarning(poll: Double) -> String? {
        gaps.takeWarning(poll: poll)
    }

    /// True if something changed within `seconds` (what is queued is read and dropped).
    public func wait(seconds: Double) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&p, 1, Int32(min(max(0, seconds), 86_400) * 1000))
        guard ready > 0 else { return false }
        drain()
        return true
    }

    /// After a change: waits until nothing changed for `quiet` seconds, but no longer than `cap` seconds in all (a file
    /// written all the time, a log, would hold it for ever). True if it stopped at the cap.
    @discardableResult
    public func settle(quiet: Double, cap: Double) -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int64(max(0, cap) * 1000))
        while true {
            let left = end - ContinuousClock.now
            guard left > .zero else { return true }
            let seconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
            guard wait(seconds: min(quiet, seconds)) else { return false }
        }
    }

    /// Drops the events queued so far (those of this process's own round, say).
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }
}
