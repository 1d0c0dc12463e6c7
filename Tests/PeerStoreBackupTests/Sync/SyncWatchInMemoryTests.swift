import Foundation
import Logging
import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// `SyncWatch` in-process against `InMemoryRing`: a folder that is written all the time (a log) still gets its rounds.
@Suite(.serialized)
struct SyncWatchInMemoryTests {
    @Test func aFolderWrittenAllTheTimeSyncsOnceTheSettlingCapPasses() async throws {
        let s = try SyncDevices(prefix: "sync-watch-log")
        defer { s.tmp.remove() }
        try s.write("a", "log.txt", "start\n")
        let d = s["a"]
        let runner = SyncRunner(client: s.ring, identity: s.identity, logger: Logger(label: "test"), heads: HeadMemory(home: d.home))
        // poll 2: the loop looks at cancellation that often, so the 30 s deadline below bounds the test.
        let watch = SyncWatch(runner: runner, localPath: d.dir, folder: s.folder, id: d.id, name: d.name, cache: nil, poll: 2, settleCap: 1)
        // Written every 20 ms for 12 s: without a cap the settling would last as long.
        let writer = Scribbler(path: d.dir + "/log.txt", seconds: 12)
        defer { writer.stop() }
        let started = ContinuousClock.now
        let rounds = try await withThrowingTaskGroup(of: [Duration]?.self) { group in
            group.addTask {
                var times: [Duration] = []
                try await watch.run(rounds: 2) { outcome in
                    times.append(ContinuousClock.now - started)
                    if case .failure(let error) = outcome { Issue.record("a round failed: \(error)") }
                }
                return times
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first ?? []
        }
        #expect(rounds.count == 2, "rounds ended at \(rounds)")
        #expect(rounds.last.map { $0 < .seconds(6) } == true, "rounds ended at \(rounds)")
        #expect(writer.isRunning, "the writer was still writing when the second round ran")
    }

    @Test func aFolderThatCannotBeWatchedIsToldOnce() async throws {
        let s = try SyncDevices(prefix: "sync-watch-gap")
        defer { s.tmp.remove() }
        let d = s["a"]
        try FileManager.default.createDirectory(atPath: d.dir + "/locked", withIntermediateDirectories: true)
        try s.write("a", "log.txt", "start\n")
        let runner = SyncRunner(client: s.ring, identity: s.identity, logger: Logger(label: "test"), heads: HeadMemory(home: d.home))
        let watch = SyncWatch(runner: runner, localPath: d.dir, folder: s.folder, id: d.id, name: d.name, cache: nil, poll: 2,
                              settleCap: 0.5) { fd, path, mask in
            path.hasSuffix("/locked") ? EACCES : FolderWatcher.inotifyAddWatch(fd, path, mask)
        }
        let writer = Scribbler(path: d.dir + "/log.txt", seconds: 10)
        defer { writer.stop() }
        var warnings: [String] = []
        var rounds = 0
        try await watch.run(rounds: 2, warn: { warnings.append($0) }) { _ in rounds += 1 }
        #expect(rounds == 2)
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.hasSuffix("/locked is not watched: changes under it are seen only at the next poll (every 2 s); inotify cannot watch it (Permission denied): make it readable, or raise fs.inotify.max_user_watches if the watch limit is reached") == true, "\(warnings)")
    }

    @Test func settlingEndsAtOnceWhenTheFolderIsQuiet() throws {
        let tmp = try TemporaryDirectory(prefix: "watch-quiet")
        defer { tmp.remove() }
        let watcher = try FolderWatcher(root: tmp.path)
        try Data("x".utf8).write(to: URL(fileURLWithPath: tmp.sub("x")))
        #expect(watcher.wait(seconds: 5))
        let started = ContinuousClock.now
        #expect(!watcher.settle(quiet: 0.2, cap: 5))
        #expect(ContinuousClock.now - started < .seconds(2))
    }
}

/// Appends a line to a file every 20 ms on a thread of its own, for `seconds` or until stopped.
final class Scribbler: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(path: String, seconds: Double) {
        Thread { [self] in
            let end = Date().addingTimeInterval(seconds)
            let handle = FileHandle(forWritingAtPath: path)
            _ = try? handle?.seekToEnd()
            while Date() < end, !lock.withLock({ stopped }) {
                try? handle?.write(contentsOf: Data("another line\n".utf8))
                Thread.sleep(forTimeInterval: 0.02)
            }
            try? handle?.close()
            lock.withLock { running = false }
            done.signal()
        }.start()
    }

    var isRunning: Bool { lock.withLock { running } }

    func stop() {
        lock.withLock { stopped = true }
        done.wait()
    }
}
