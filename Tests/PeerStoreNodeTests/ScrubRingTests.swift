import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreTestKit
import Testing

/// The block entries of a node's segment files, as they are on disk: id, file, payload offset and length.
func blockEntries(_ dataPath: String) -> [(id: Identifier, segment: String, offset: Int, length: Int)] {
    var found: [(id: Identifier, segment: String, offset: Int, length: Int)] = []
    let dir = dataPath + "/segments"
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() where name.hasSuffix(".seg") {
        for entry in SegmentLayout.entries(ofFile: dir + "/" + name) where entry.kind == 1 {
            if let id = Identifier(bytes: entry.key) { found.append((id, dir + "/" + name, entry.payload, entry.length)) }
        }
    }
    return found
}

/// The issue's done-when: a block corrupted on one node is found by that node's scrubber and repaired from a
/// replica; with the other replicas then killed, a restore through that node alone is identical.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct ScrubRingTests {
    @Test func corruptedBlocksAreFoundByTheScrubberRepairedAndRestoredThroughThatNodeAlone() async throws {
        let tmp = try TemporaryDirectory(prefix: "scrub-ring")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: [
            "-replicas", "3", "-stabilizeInterval", "0.2", "-antiEntropyInterval", "0.5", "-peerTimeout", "1",
            "-scrubInterval", "1", "-scrubRate", "64"])
        defer { ring.stopAll() }
        try await ring.converge()
        let src = try ring.corpus(mib: 3, seed: 47, smallFiles: 30)
        let backup = try ring.client(["-operation", "backup", "-peerAddr", ring.first.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")

        // On the node that owns the most blocks (every node holds all of them: 3 replicas of 3 nodes): the largest
        // block it owns (the owner pulls it back from its successor) and the largest it holds as a replica (its owner
        // pushes it again).
        let sorted = try ring.ids().sorted()
        func owner(_ id: Identifier) -> Identifier { sorted.first { $0 >= id } ?? sorted[0] }
        let owners = blockEntries(ring.first.dataPath).map { owner($0.id) }
        let node = try #require(try ring.servers.max { a, b in
            try owners.filter { $0 == (try LiveRingTests().nodeID(a)) }.count < owners.filter { $0 == (try LiveRingTests().nodeID(b)) }.count
        })
        let mine = try LiveRingTests().nodeID(node)
        let entries = blockEntries(node.dataPath).sorted { $0.length > $1.length }
        let owned = try #require(entries.first { owner($0.id) == mine })
        let replica = try #require(entries.first { owner($0.id) != mine })
        for entry in [owned, replica] { try flipByte(entry.segment, at: entry.offset + entry.length / 2) }
        let damagedAt = Date()

        // The scrubber finds both (nothing else reads them: anti-entropy only reads blocks a target lacks).
        let deadline = Date().addingTimeInterval(60)
        var log = ""
        while Date() < deadline {
            log = (try? String(contentsOfFile: node.logPath, encoding: .utf8)) ?? ""
            if log.contains("scrub pass found damaged copies") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let foundAfter = Date().timeIntervalSince(damagedAt)
        let found = try #require(log.split(separator: "\n").first { $0.contains("scrub pass found damaged copies") })
        #expect(found.contains("damagedBlocks=2") && found.contains("dropped=2"), "\(found)")
        #expect(!found.contains(owned.id.description) && !found.contains(replica.id.description))  // counts only at info

        // Anti-entropy brings both back, intact, to node 1.
        let probe = DamagedReplicaTests()
        var back: [Identifier: [UInt8]] = [:]
        while Date() < deadline && back.count < 2 {
            for id in [owned.id, replica.id] where back[id] == nil { back[id] = try await probe.localBlock(node, id) }
            if back.count < 2 { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(back[owned.id].map(BlockID.of) == owned.id, "the owned block did not come back within 60 s")
        #expect(back[replica.id].map(BlockID.of) == replica.id, "the replica's block did not come back within 60 s")
        print("scrub ring: damage found after \(String(format: "%.1f", foundAfter)) s, both copies back after "
            + String(format: "%.1f", Date().timeIntervalSince(damagedAt)) + " s (-scrubInterval 1, -antiEntropyInterval 0.5)")

        // The other two nodes die; node 1 alone restores the tree.
        for other in ring.servers where other !== node { other.kill() }
        #expect(try ring.restoreDifferences(of: src, via: node.address) == [])
    }
}
