import Foundation
import PeerStoreTestKit
import Testing

/// Fault case: kill -9 of a node of a 3-node ring (replicas 3) at random moments during backups, blocks and the head
/// record in flight, then the node started again as itself. Afterwards every snapshot the ring lists (acknowledged or
/// not: a head that moved is a snapshot) restores identically to the tree it was made of, and no acknowledged
/// snapshot is missing. Short subset: 3 kills; `scripts/faults.sh`: 100.
@Suite(.serialized, .timeLimit(.minutes(25)))
struct FaultKillDuringBackupTests {
    @Test func killNineDuringBackupsLosesNoAcknowledgedSnapshot() async throws {
        let budget = FaultBudget()
        let kills = budget.runs(short: 3, long: 100)
        let timeBound = budget.seconds(short: 90, long: 1200)
        let tmp = try TemporaryDirectory(prefix: "fault-kill-backup")
        defer { tmp.remove() }
        let ring = try FaultRing(nodes: 3, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "1",
                                                                "-peerTimeout", "2"])
        defer { ring.stopAll() }
        try await ring.converge()
        let src = tmp.sub("src"), home = tmp.sub("home")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 1717)
        var acknowledged: [String: Int] = [:]  // snapshot id → the version of the tree it was made of
        var durations: [Double] = []
        var killsDone = 0, failed = 0
        let started = Date()

        // Version 0 unkilled, to time a backup; then one kill per version, at a random moment of the backup.
        for version in 0...kills where Date().timeIntervalSince(started) < timeBound {
            try Self.change(src, version: version, rng: &rng)
            try Self.copyTree(src, to: tmp.sub("v\(version)"))
            let entry = ring.address(0)
            let begun = Date()
            let backup = Task.detached {
                try CommandRunner.run("peerstore-client", ["-home", home, "-operation", "backup", "-json", "-peerAddr", entry,
                                                           "-localPath", src], timeout: 120)
            }
            var victim: Int?
            if version > 0 {
                let typical = durations.sorted()[durations.count / 2]
                try await Task.sleep(for: .seconds(Double.random(in: 0...(typical * 1.2), using: &rng)))
                victim = Int.random(in: 0..<3, using: &rng)
                ring.kill(victim!)
                killsDone += 1
            }
            let result = try await backup.value
            if result.status == 0, let id = Self.snapshotID(result.stdout) {
                acknowledged[id] = version
                durations.append(Date().timeIntervalSince(begun))
            } else {
                failed += 1
            }
            if let victim {
                try ring.start(victim)
                try await ring.converge()
            }
        }

        // Every snapshot listed restores as the tree of its version; every acknowledged one is listed.
        let listed = try ring.snapshotIDs()
        var identical = 0, differing: [String] = [], torn = 0
        for (i, id) in listed.enumerated() {
            let out = tmp.sub("restored-\(i)")
            let restore = try ring.client(["-operation", "restore", "-snapshot", id, "-peerAddr", ring.address(0), "-filedest", out])
            guard restore.status == 0 else {
                torn += 1
                differing.append("\(id): restore failed: \(restore.stderr)")
                continue
            }
            guard let text = try? String(contentsOfFile: out + "/VERSION", encoding: .utf8), let version = Int(text) else {
                differing.append("\(id): no VERSION")
                continue
            }
            let diff = TreeComparison.differences(tmp.sub("v\(version)"), out, compareRootMetadata: false)
            if diff.isEmpty { identical += 1 } else { differing.append("\(id) (v\(version)): \(diff.prefix(3))") }
        }
        let missing = acknowledged.keys.filter { id in !listed.contains { id.hasPrefix($0) || $0.hasPrefix(id) } }
        let check = try ring.client(["-operation", "check", "-json", "-peerAddr", ring.address(0)])
        let report = check.stdout.split(separator: "\n").last.flatMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }

        var figures = FaultFigures("kill -9 during backups (3 nodes)", runs: killsDone)
        figures.set("acknowledged", acknowledged.count)
        figures.set("failed", failed)
        figures.set("snapshots", listed.count)
        figures.set("identical", identical)
        figures.set("lost", missing.count + differing.count - torn)
        figures.set("torn", torn)
        figures.set("seconds", Int(Date().timeIntervalSince(started)))
        figures.record()

        #expect(killsDone >= min(kills, 3), "kills made: \(killsDone)")
        #expect(missing.isEmpty, "acknowledged snapshots not listed: \(missing)")
        #expect(differing.isEmpty, "\(differing)")
        #expect(identical == listed.count && identical >= acknowledged.count)
        #expect(check.status == 0 || check.status == 4, "check: \(check.stdout) \(check.stderr)")
        #expect((report?["missing"] as? Int) == 0, "every block of the latest snapshot has a copy: \(String(describing: report))")
    }

    /// Version `version` of the tree: a VERSION file, a new file of 0.5-2 MiB, and a few small files rewritten.
    static func change(_ src: String, version: Int, rng: inout SeededRandom) throws {
        try Data("\(version)".utf8).write(to: URL(fileURLWithPath: src + "/VERSION"))
        try Data(rng.bytes(Int.random(in: (512 << 10)...(2 << 20), using: &rng))).write(to: URL(fileURLWithPath: src + "/big-\(version).bin"))
        for _ in 0..<5 {
            let n = Int.random(in: 0..<40, using: &rng)
            try Data(rng.bytes(Int.random(in: 100...20_000, using: &rng))).write(to: URL(fileURLWithPath: src + "/small-\(n).txt"))
        }
    }

    /// `cp -a`: bytes, modes and mtimes as they are.
    static func copyTree(_ src: String, to dest: String) throws {
        let cp = Process()
        cp.executableURL = URL(fileURLWithPath: "/bin/cp")
        cp.arguments = ["-a", src, dest]
        try cp.run()
        cp.waitUntilExit()
        guard cp.terminationStatus == 0 else { throw TestKitError("cp -a \(src) \(dest) failed") }
    }

    /// The snapshot id in a backup's `-json` summary.
    static func snapshotID(_ stdout: String) -> String? {
        for line in stdout.split(separator: "\n").reversed() {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["snapshot"] as? String
            {
                return id
            }
        }
        return nil
    }
}
