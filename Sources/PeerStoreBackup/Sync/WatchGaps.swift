#if canImport(Glibc)
import Glibc
#endif

/// The folders a `FolderWatcher` could not watch (the inotify watch limit reached, a folder this user may not read):
/// changes under them are only seen at the next poll. Each is told once, in one line for all those new since.
struct WatchGaps: Sendable {
    /// Folder path to the errno of its last failed watch.
    private(set) var unwatched: [String: Int32] = [:]
    private var told: Set<String> = []

    /// A watch of `path` failed with `error`; a folder gone meanwhile (ENOENT, ENOTDIR) is no gap.
    mutating func failed(_ path: String, error: Int32) {
        guard error != ENOENT, error != ENOTDIR else { return }
        unwatched[path] = error
    }

    /// `path` is watched (again).
    mutating func watched(_ path: String) {
        unwatched[path] = nil
    }

    /// One line about the gaps not told yet (nil if none), with what to do; `poll` is the poll interval in seconds.
    mutating func takeWarning(poll: Double) -> String? {
        let new = unwatched.keys.filter { !told.contains($0) }.sorted()
        guard let first = new.first, let error = unwatched[first] else { return nil }
        told.formUnion(new)
        let one = new.count == 1
        let what = one ? "\(first) is" : "\(first) and \(new.count - 1) more folder\(new.count == 2 ? "" : "s") are"
        let every = poll == poll.rounded() && poll < 1e9 ? "\(Int(poll))" : "\(poll)"
        let remedy = new.contains { unwatched[$0] == ENOSPC }
            ? "the inotify watch limit is reached: raise it (sudo sysctl fs.inotify.max_user_watches=524288)"
            : "inotify cannot watch \(one ? "it" : "them") (\(String(cString: strerror(error)))): make \(one ? "it" : "them") readable, or raise fs.inotify.max_user_watches if the watch limit is reached"
        return "\(what) not watched: changes under \(one ? "it" : "them") are seen only at the next poll (every \(every) s); \(remedy)"
    }
}
