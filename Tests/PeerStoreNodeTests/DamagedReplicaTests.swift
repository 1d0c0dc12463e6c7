import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// A block damaged on one holder's disk is read from another holder, and the damaged copy is replaced from it.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct DamagedReplicaTests {
    /// The block `server` alone holds under `id` (a placed read: answered from its own store), nil if it has none.
    func localBlock(_ server: ServerProcess, _ id: Identifier) async throws -> [UInt8]? {
        let client = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: server.port), secure: .openDemo())
        defer { Task { await client.close() } }
        do {
            guard case .block(let bytes) = try await client.request(.placedPut(role: .local, put: .getBlock(id: id))) else {
                throw TestKitError("\(server.address) answered a block read with something else")
            }
            return Array(bytes.readableBytesView)
        } catch let error as WireError where error.code == .notFound {
            return nil
        }
    }

    /// The largest block entry of a node's segments: its id and the offset of its payload.
    func largestBlock(_ dataPath: String) throws -> (id: Identifier, segment: String, offset: Int, length: Int) {
        var best: (id: Identifier, segment: String, offset: Int, length: Int)?
        let dir = dataPath + "/segments"
        for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where name.hasSuffix(".seg") {
            for entry in SegmentLayout.entries(ofFile: dir + "/" + name) where entry.kind == 1 && entry.length > (best?.length ?? 0) {
                if let id = Identifier(bytes: entry.key) { best = (id, dir + "/" + name, entry.payload, entry.length) }
            }
        }
        return try #require(best)
    }

    /// The largest block of the first node and the node that owns it (the first clockwise from its id).
    func largestBlockAndItsOwner(_ ring: LocalRing) throws -> (block: (id: Identifier, segment: String, offset: Int, length: Int), owner: ServerProcess) {
        let block = try largestBlock(ring.first.dataPath)
        let byID = try Dictionary(uniqueKeysWithValues: ring.servers.map { (try LiveRingTests().nodeID($0), $0) })
        let sorted = byID.keys.sorted()
        return (block, byID[sorted.first { $0 >= block.id } ?? sorted[0]]!)
    }

    @Test func aCopyCorruptOnItsOwnerIsReadFromAReplicaAndRepaired() async throws {
        let tmp = try TemporaryDirectory(prefix: "damaged-replica")
        defer { tmp.remove() }
        // Anti-entropy is off (600 s rounds): only the read can repair.
        let arguments = ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "600"]
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: arguments)
        defer { ring.stopAll() }
        try await ring.converge()
        let src = try ring.corpus(mib: 3, seed: 41, smallFiles: 40)
        let backup = try ring.client(["-operation", "backup", "-peerAddr", ring.first.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")

        // The owner of the largest block (the first node clockwise from its id) is the node a reader asks first.
        let (block, owner) = try largestBlockAndItsOwner(ring)
        let damaged = try largestBlock(owner.dataPath)
        #expect(damaged.id == block.id)
        try flipByte(damaged.segment, at: damaged.offset + damaged.length / 2)

        // The restore is whole, and the owner holds an intact copy again.
        #expect(try ring.restoreDifferences(of: src, via: ring.first.address) == [])
        let repaired = try #require(try await localBlock(owner, block.id), "the damaged copy was dropped and not replaced")
        #expect(BlockID.of(repaired) == block.id)

        // It stays: after a restart the node serves the repaired copy.
        owner.stop()
        let back = try ServerProcess(dataPath: owner.dataPath, extraArguments: arguments + ["-initialPeerAddr", ring.first === owner ? ring.servers[1].address : ring.first.address])
        defer { back.stop() }
        let afterRestart = try await localBlock(back, block.id)
        #expect(afterRestart.map(BlockID.of) == block.id)
    }

    /// Found damaged by a node-to-node read (which only drops it), the copy comes back by anti-entropy: the owner pulls
    /// what it lacks in its range from its successor.
    @Test func aCopyDroppedOnItsOwnerIsPulledBackByAntiEntropy() async throws {
        let tmp = try TemporaryDirectory(prefix: "damaged-anti-entropy")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "0.5"])
        defer { ring.stopAll() }
        try await ring.converge()
        let src = try ring.corpus(mib: 2, seed: 43, smallFiles: 20)
        let backup = try ring.client(["-operation", "backup", "-peerAddr", ring.first.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        let (block, owner) = try largestBlockAndItsOwner(ring)
        let damaged = try largestBlock(owner.dataPath)
        try flipByte(damaged.segment, at: damaged.offset + damaged.length / 2)
        await #expect(throws: WireError.self) { _ = try await localBlock(owner, block.id) }

        let deadline = Date().addingTimeInterval(30)
        var back: [UInt8]?
        while Date() < deadline {
            back = try await localBlock(owner, block.id)
            if back != nil { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(back.map(BlockID.of) == block.id, "anti-entropy did not bring the dropped copy back within 30 s")
    }
}

/// XORs one byte of a file in place (a running node sees it on its next read).
func flipByte(_ path: String, at offset: Int) throws {
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(offset))
    let old = try #require(try handle.read(upToCount: 1)).first!
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: Data([old ^ 0xff]))
}
