import Foundation
import PeerStoreTestKit
import Testing

/// A node that stops answering (SIGSTOP: a hung VM, a stalled disk, a network black hole) must not stop anyone: every
/// request has a deadline, a replica that lets it pass is skipped, a client moves to another node.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct FrozenNodeTests {
    /// Runs a command on a thread of its own (it blocks while it waits) and returns how it ended and how long it took.
    func inBackground(_ body: @escaping @Sendable () throws -> CommandRunner.Result) -> Task<(CommandRunner.Result, Double), Error> {
        Task {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    let started = Date()
                    continuation.resume(with: Result { (try body(), Date().timeIntervalSince(started)) })
                }
            }
        }
    }

    /// Bytes of the regular files under `path` (0 if it does not exist).
    func bytes(under path: String) -> Int {
        var total = 0
        for name in FileManager.default.subpaths(atPath: path) ?? [] {
            var st = stat()
            if lstat(path + "/" + name, &st) == 0 && st.st_mode & S_IFMT == S_IFREG { total += Int(st.st_size) }
        }
        return total
    }

    /// Waits (bounded) until `grown()` is true or `task` is done; true if it grew while the task still ran.
    func waitUntil(_ grown: () -> Bool, whileRunning task: Task<(CommandRunner.Result, Double), Error>, within seconds: Double)
        async throws -> Bool
    {
        let finished = LockedFlag()
        let watcher = Task { _ = try? await task.value; finished.set() }
        defer { watcher.cancel() }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && !finished.isSet {
            if grown() { return !finished.isSet }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func aNodeFrozenMidBackupAndMidRestoreCostsTimeNotTheRun() async throws {
        let started = Date()
        let tmp = try TemporaryDirectory(prefix: "frozen")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-replicas", "3", "-antiEntropyInterval", "1"])
        // Always thawed and stopped, even when an expectation fails (stop() sends SIGCONT after SIGTERM).
        defer { ring.stopAll() }
        try await ring.converge()
        let src = try ring.corpus(mib: 48, seed: 44, smallFiles: 300)
        let home = tmp.sub("home")
        let entry = ring.first.address

        // Backup through node 0; node 1 freezes once it holds a few MiB of it.
        let victim = ring.servers[1]
        let before = bytes(under: victim.dataPath)
        let backup = inBackground {
            try CommandRunner.run("peerstore-client", ["-home", home, "-operation", "backup", "-peerAddr", entry, "-localPath", src],
                                  timeout: 120)
        }
        let midBackup = try await waitUntil({ bytes(under: victim.dataPath) > before + (6 << 20) }, whileRunning: backup, within: 60)
        victim.freeze()
        let frozenAt = Date()
        #expect(midBackup, "the backup ended before node 1 could be frozen: make the corpus bigger")
        let (backed, backupSeconds) = try await backup.value
        let afterFreeze = Date().timeIntervalSince(frozenAt)
        #expect(backed.status == 0, "backup with a frozen node: exit \(backed.status): \(backed.stderr)")
        #expect(afterFreeze < 45, "the backup took \(afterFreeze) s after the freeze")
        victim.thaw()

        // The ring heals, and anti-entropy gives the puts that were stored without node 1 their third copy.
        try await ring.converge(within: 30)
        let healing = Date().addingTimeInterval(40)
        var report: [String: Int] = [:]
        var failures: [String] = []
        repeat {
            do {
                report = try ring.checkReport(via: ring.first)
                if report["minReplicas"] == 3 && report["missing"] == 0 && report["nodes"] == 3 { break }
            } catch {
                failures.append("\(error)")  // a check while the ring still settles may fail; the next one counts
            }
            try await Task.sleep(for: .seconds(1))
        } while Date() < healing
        #expect(report["minReplicas"] == 3 && report["missing"] == 0 && report["nodes"] == 3, "\(report) \(failures)")
        if !failures.isEmpty { print("frozen: checks that failed while the ring settled: \(failures)") }

        // Then node 2 freezes in the middle of a restore through node 0.
        let out = tmp.sub("restored")
        let other = ring.servers[2]
        let restore = inBackground {
            try CommandRunner.run("peerstore-client", ["-home", home, "-operation", "restore", "-peerAddr", entry, "-filedest", out],
                                  timeout: 120)
        }
        // A restore writes into a hidden sibling of its destination first.
        let written = {
            ((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []).filter { $0.hasPrefix(".restored.") }
                .reduce(bytes(under: out)) { $0 + bytes(under: tmp.sub($1)) }
        }
        let midRestore = try await waitUntil({ written() > 6 << 20 }, whileRunning: restore, within: 60)
        other.freeze()
        let frozenAgain = Date()
        #expect(midRestore, "the restore ended before node 2 could be frozen")
        let (restored, restoreSeconds) = try await restore.value
        let afterSecondFreeze = Date().timeIntervalSince(frozenAgain)
        #expect(restored.status == 0, "restore with a frozen node: exit \(restored.status): \(restored.stderr)")
        #expect(afterSecondFreeze < 45, "the restore took \(afterSecondFreeze) s after the freeze")
        let differences = TreeComparison.differences(src, out)
        #expect(differences.isEmpty, "\(differences.prefix(5))")
        other.thaw()
        var figures = FaultFigures("a node frozen (SIGSTOP) mid-backup and mid-restore", runs: 2)
        figures.set("backupAfterFreeze", String(format: "%.1fs", afterFreeze))
        figures.set("restoreAfterFreeze", String(format: "%.1fs", afterSecondFreeze))
        figures.set("lost", differences.count)
        figures.record()
        print("frozen: backup \(String(format: "%.1f", backupSeconds)) s (\(String(format: "%.1f", afterFreeze)) s after the freeze), restore \(String(format: "%.1f", restoreSeconds)) s (\(String(format: "%.1f", afterSecondFreeze)) s after), test \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
