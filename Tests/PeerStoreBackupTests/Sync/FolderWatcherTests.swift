import Foundation
import Glibc
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Folders a `FolderWatcher` cannot watch: told once, in one line that says what to do (the syscall is injected; the
/// tests run as root, who may watch any folder).
struct FolderWatcherTests {
    @Test func theWatchLimitIsToldOnceWithTheSysctlToRaise() throws {
        var gaps = WatchGaps()
        gaps.failed("/d/b", error: ENOSPC)
        gaps.failed("/d/a", error: ENOSPC)
        gaps.failed("/d/gone", error: ENOENT)
        #expect(gaps.takeWarning(poll: 60) == "/d/a and 1 more folder are not watched: changes under them are seen only at the next poll (every 60 s); the inotify watch limit is reached: raise it (sudo sysctl fs.inotify.max_user_watches=524288)")
        gaps.failed("/d/a", error: ENOSPC)
        #expect(gaps.takeWarning(poll: 60) == nil)
        gaps.watched("/d/b")
        #expect(gaps.unwatched.keys.sorted() == ["/d/a"])
    }

    @Test func anUnreadableFolderSaysWhy() {
        var gaps = WatchGaps()
        gaps.failed("/d/secret", error: EACCES)
        #expect(gaps.takeWarning(poll: 2.5) == "/d/secret is not watched: changes under it are seen only at the next poll (every 2.5 s); inotify cannot watch it (Permission denied): make it readable, or raise fs.inotify.max_user_watches if the watch limit is reached")
    }

    @Test func aWatcherCollectsItsFailedWatchesAndTellsEachOnce() throws {
        let tmp = try TemporaryDirectory(prefix: "watch-gaps")
        defer { tmp.remove() }
        for folder in ["a/deep", "b"] { try FileManager.default.createDirectory(atPath: tmp.sub(folder), withIntermediateDirectories: true) }
        let refused = ["/a/deep", "/b", "/c"].map { tmp.path + $0 }
        let watcher = try FolderWatcher(root: tmp.path) { fd, path, mask in
            refused.contains(path) ? ENOSPC : FolderWatcher.inotifyAddWatch(fd, path, mask)
        }
        #expect(watcher.takeWarning(poll: 60)?.hasPrefix("\(refused[0]) and 1 more folder are not watched") == true)
        watcher.rearm(tmp.path)
        #expect(watcher.takeWarning(poll: 60) == nil)
        // The folders it could watch still tell their changes.
        try Data("x".utf8).write(to: URL(fileURLWithPath: tmp.sub("a/x")))
        #expect(watcher.wait(seconds: 5))
        try FileManager.default.createDirectory(atPath: tmp.sub("c"), withIntermediateDirectories: true)
        watcher.rearm(tmp.path)
        #expect(watcher.takeWarning(poll: 60)?.hasPrefix("\(refused[2]) is not watched") == true)
    }
}
