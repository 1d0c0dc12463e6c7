import ChordRing
import Foundation
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// `prune` through the real client and a real node with a 2 s grace period and B of 1 s: a first prune leases
/// everything (backups do not lease yet), `forget -keep-last 1 -prune` releases what only the forgotten snapshot
/// referenced (the JSON summary counts it), and after the grace the latest snapshot still restores and checks whole.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct PruneTests {
    /// The JSON object on the line of stdout whose type is `type`.
    func json(_ stdout: String, type: String) throws -> [String: Any] {
        for line in stdout.split(separator: "\n") {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], object["type"] as? String == type {
                return object
            }
        }
        throw TestKitError("no \(type) object in: \(stdout)")
    }

    @Test func forgetThenPruneReleasesTheForgottenDataAndTheLatestRestores() async throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-prune")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        let server = try ServerProcess(dataPath: tmp.sub("node"), extraArguments: ["-gracePeriod", "2", "-leaseBackupBound", "1", "-replicas", "1"])
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        var random = SeededRandom(seed: 15)
        func backup(_ size: Int) throws {
            try Data(random.bytes(size)).write(to: URL(fileURLWithPath: src + "/a.bin"))
            let r = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        try Data("kept in both snapshots\n".utf8).write(to: URL(fileURLWithPath: src + "/keep.txt"))
        try backup(300_000)
        try backup(200_000)

        let first = try client.run(["-operation", "prune", "-json"])
        #expect(first.status == 0, "\(first.stderr)")
        let leased = try json(first.stdout, type: "prune")
        #expect(leased["heads"] as? Int == 1 && leased["retainedSnapshots"] as? Int == 2 && leased["releasedBlocks"] as? Int == 0)
        #expect((leased["retainedBlocks"] as? Int ?? 0) >= 7 && leased["retainedMissing"] as? Int == 0, "\(leased)")

        // Past B the first prune's renewals no longer hold the forgotten blocks.
        try await Task.sleep(for: .milliseconds(2500))
        let forget = try client.run(["-operation", "forget", "-keep-last", "1", "-prune", "-json"])
        #expect(forget.status == 0, "\(forget.stderr)")
        let pruned = try json(forget.stdout, type: "prune")
        let forgot = try #require(try JSONSerialization.jsonObject(with: Data(forget.stdout.split(separator: "\n")[0].utf8)) as? [String: Any])
        let gone = try #require(((forgot["remove"] as? [[String: Any]])?.first?["id"] as? String).flatMap { Identifier(hex: $0) })
        let kept = try #require(((forgot["keep"] as? [[String: Any]])?.first?["id"] as? String).flatMap { Identifier(hex: $0) })
        #expect(pruned["dryRun"] as? Bool == false && pruned["forgottenSnapshots"] as? Int == 1, "\(pruned)")
        #expect((pruned["releasedBlocks"] as? Int ?? 0) >= 3, "its snapshot, root tree and a.bin's chunks: \(pruned)")
        #expect(pruned["releasedBytes"] as? Int == 300_000 && pruned["stillHeld"] as? Int == 0, "\(pruned)")
        #expect(pruned["droppedSnapshots"] as? Int == 1 && pruned["unreadableForgotten"] as? Int == 0, "\(pruned)")
        #expect(pruned["retainedSnapshots"] as? Int == 1, "\(pruned)")

        // After the grace period (and a collection round) the forgotten snapshot's block is gone; the latest snapshot
        // restores and every block of it is there.
        let node = try await WireClient.connect(to: try PeerAddress(parsing: server.address), secure: .openDemo())
        let deadline = Date().addingTimeInterval(20)
        var deleted = false
        while !deleted && Date() < deadline {
            try await Task.sleep(for: .milliseconds(250))
            deleted = try await node.getBlock(id: gone) == nil
        }
        #expect(deleted, "the forgotten snapshot's block is deleted after the grace period")
        #expect(try await node.getBlock(id: kept) != nil)
        await node.close()
        let out = tmp.sub("out")
        let restore = try client.run(["-operation", "restore", "-filedest", out])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(TreeComparison.differences(src, out).isEmpty)
        let check = try client.run(["-operation", "check", "-json"])
        #expect(check.status == 0 && check.stdout.contains("\"missing\":0"), "\(check.stdout) \(check.stderr)")

        // Nothing is left to release; a dry run says so and a misplaced flag is one line.
        let dry = try client.run(["-operation", "prune", "-dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("dry run: would release 0 blocks"), "\(dry.stdout) \(dry.stderr)")
        let wrong = try client.run(["-operation", "prune", "-keep-last", "1"])
        #expect(wrong.status == 1 && wrong.stderr.contains("belong to -operation forget"), "\(wrong.stderr)")
    }
}
