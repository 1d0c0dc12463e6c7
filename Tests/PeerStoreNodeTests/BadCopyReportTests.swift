import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// A block damaged on the disk of the node a restoring client asks first (its owner). When the node's own fast check
/// catches it, the node refuses that copy itself (and repairs it); when the damage passes the fast check (its checksum
/// made to agree), the client refuses the copy by its tag, fetches it from another holder, and reports it, and the
/// node, checking its copy in full, drops it and gets it back from a replica. Either way the restore is identical.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct BadCopyReportTests {
    // Anti-entropy is off (600 s rounds): only the read, or the report, can repair.
    static let arguments = ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "600"]

    /// A 3-node ring (3 copies) holding a backup of a 3 MiB tree; the largest block (a chunk) and its owner.
    func ringWithBackup(_ tmp: TemporaryDirectory, seed: UInt64) async throws
        -> (LocalRing, String, (id: Identifier, segment: String, offset: Int, length: Int), ServerProcess)
    {
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: Self.arguments)
        try await ring.converge()
        let src = try ring.corpus(mib: 3, seed: seed, smallFiles: 30)
        let backup = try ring.client(["-operation", "backup", "-peerAddr", ring.first.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        let (_, owner) = try DamagedReplicaTests().largestBlockAndItsOwner(ring)
        return (ring, src, try DamagedReplicaTests().largestBlock(owner.dataPath), owner)
    }

    @Test func aCopyThatPassesTheNodesChecksumIsRefusedByTheClientReportedAndDropped() async throws {
        let tmp = try TemporaryDirectory(prefix: "bad-copy-report")
        defer { tmp.remove() }
        let (ring, src, block, owner) = try await ringWithBackup(tmp, seed: 51)
        defer { ring.stopAll() }

        // Stopped, the owner's copy is damaged and its payload checksum rewritten to match; an empty newer segment
        // makes the damaged one a sealed segment, which start-up does not re-hash (the scrubber would, later).
        owner.stop()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: block.segment)))
        let entry = try #require(SegmentLayout.entries(bytes).first { $0.payload == block.offset })
        bytes[block.offset + block.length / 2] ^= 0xff
        #expect(SegmentLayout.refreshPayloadChecksum(of: entry, in: &bytes))
        try Data(bytes).write(to: URL(fileURLWithPath: block.segment))
        let segments = try FileManager.default.contentsOfDirectory(atPath: owner.dataPath + "/segments").filter { $0.hasSuffix(".seg") }
        let newest = try #require(segments.compactMap { Int($0.dropLast(4)) }.max())
        let name = String(format: "%010d.seg", newest + 1)
        try Data(Array("PEERSTORE-SEG-v1".utf8)).write(to: URL(fileURLWithPath: owner.dataPath + "/segments/" + name))
        let back = try ServerProcess(dataPath: owner.dataPath, extraArguments: Self.arguments + ["-initialPeerAddr", ring.servers.first { $0 !== owner }!.address],
                                     listen: owner.address)
        defer { back.stop() }
        try await ring.converge()
        // The node serves the damaged copy: its fast check passes.
        let served = try #require(try await DamagedReplicaTests().localBlock(back, block.id))
        #expect(BlockID.of(served) != block.id)

        #expect(try ring.restoreDifferences(of: src, via: ring.first === owner ? back.address : ring.first.address) == [])
        let log = (try? String(contentsOfFile: back.logPath, encoding: .utf8)) ?? ""
        #expect(log.contains("a block a client reported failed its hash; dropped"), "the node did not drop the reported copy")
        let repaired = try #require(try await DamagedReplicaTests().localBlock(back, block.id), "dropped and not replaced")
        #expect(BlockID.of(repaired) == block.id)
    }

    @Test func aCopyThatFailsTheNodesChecksumIsRefusedByTheNodeItself() async throws {
        let tmp = try TemporaryDirectory(prefix: "bad-copy-plain")
        defer { tmp.remove() }
        let (ring, src, block, owner) = try await ringWithBackup(tmp, seed: 53)
        defer { ring.stopAll() }
        try flipByte(block.segment, at: block.offset + block.length / 2)  // while it runs; the checksum is not fixed

        #expect(try ring.restoreDifferences(of: src, via: ring.first.address) == [])
        let log = (try? String(contentsOfFile: owner.logPath, encoding: .utf8)) ?? ""
        #expect(log.contains("block failed its check on read; dropped"), "the node's own check did not refuse the copy")
        #expect(!log.contains("a block a client reported"), "the client got the damaged copy")
        let repaired = try #require(try await DamagedReplicaTests().localBlock(owner, block.id))
        #expect(BlockID.of(repaired) == block.id)
    }
}
