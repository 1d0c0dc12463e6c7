import Foundation
import PeerStoreTestKit
import Testing

/// Issue 15's end-to-end case: forget + prune + compaction on a real node with a short grace period makes its data
/// path shrink by about the forgotten data's unique size, and kill -9 in the middle of a compaction loses nothing:
/// after the restart every retained file restores.
@Suite(.serialized)
struct PruneShrinkTests {
    static let mib = 1 << 20

    /// Bytes under `path` (the segment files of a data path).
    static func size(_ path: String) -> Int {
        let names = (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []
        return names.reduce(0) { sum, name in
            sum + ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0)
        }
    }

    /// Whether a compaction is writing its copy right now (a `.compacting` file beside the segments).
    static func compacting(_ path: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/segments")) ?? []).contains { $0.hasSuffix(".compacting") }
    }

    /// `files` pairs of 4 MiB random files, `N-gone.bin` beside `N-keep.bin`: backed up in name order, so every
    /// segment holds both and keeps about half its bytes once the gone ones are deleted (its compaction copies MiBs).
    static func writePairs(_ dir: String, files: Int) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var random = SeededRandom(seed: 15)
        for i in 0..<files {
            for kind in ["gone", "keep"] {
                try Data(random.bytes(4 * mib)).write(to: URL(fileURLWithPath: dir + "/\(i)-\(kind).bin"))
            }
        }
    }

    @Test func forgetPruneCompactionShrinksAndSurvivesKillNine() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-prune-shrink")
        defer { tmp.remove() }
        let data = tmp.sub("node")
        // Short B and grace, 16 MiB segments, compaction below 90% live every 50 ms.
        let flags = ["-replicas", "1", "-gracePeriod", "1", "-leaseBackupBound", "1", "-segmentMiB", "16",
                     "-compactBelow", "0.9", "-compactInterval", "0.05"]
        var server = try ServerProcess(dataPath: data, extraArguments: flags)
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        let src = tmp.sub("src")
        try Self.writePairs(src, files: 6)
        let first = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        for i in 0..<6 { try FileManager.default.removeItem(atPath: src + "/\(i)-gone.bin") }
        let second = try client.run(["-operation", "backup", "-quiet"])
        #expect(second.status == 0, "\(second.stderr)")
        let forget = try client.run(["-operation", "forget", "-keep-last", "1"])
        #expect(forget.status == 0 && forget.stdout.contains("forgot 1 snapshot"), "\(forget.stdout) \(forget.stderr)")

        // Past B since the second backup renewed what it found: the prune's release ends the forgotten data's leases.
        Thread.sleep(forTimeInterval: 2.2)
        let before = Self.size(data)
        let prune = try client.run(["-operation", "prune"])
        #expect(prune.status == 0, "\(prune.stdout) \(prune.stderr)")

        // After the grace period the node deletes, then compacts: kill -9 while a compaction writes its copy.
        var killed = false
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !killed {
            if Self.compacting(data) {
                server.kill()
                killed = true
            } else {
                usleep(500)
            }
        }
        #expect(killed, "no compaction was seen running within 60 s")
        server = try ServerProcess(dataPath: data, extraArguments: flags)
        let out = tmp.sub("out-after-kill")
        let restore = try client.run(["-operation", "restore", "-peerAddr", server.address, "-filedest", out])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(TreeComparison.differences(src, out).isEmpty, "every retained file restores after kill -9")

        // The restarted node finishes: the data path shrinks by about the forgotten data's unique 24 MiB.
        let unique = 24 * Self.mib
        var after = Self.size(data)
        let settle = Date().addingTimeInterval(60)
        while Date() < settle && before - after < unique * 8 / 10 {
            Thread.sleep(forTimeInterval: 0.2)
            after = Self.size(data)
        }
        print("prune + compaction: node data path \(before / 1024) KiB before, \(after / 1024) KiB after (forgotten unique data \(unique / 1024) KiB)")
        #expect(before - after >= unique * 8 / 10, "before \(before), after \(after)")
        #expect(before - after <= unique * 12 / 10, "no more than the forgotten data went: before \(before), after \(after)")
        let final = tmp.sub("out-final")
        let again = try client.run(["-operation", "restore", "-filedest", final])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(TreeComparison.differences(src, final).isEmpty)
    }
}
