import ChordRing
import Foundation
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// Leases through `RingClient` on a ring of real `peerstore-server` processes: the owner applies a grant and copies it
/// to the replicas before answering; a renewal that moves the expiry by little writes nothing; an older node is
/// asked a plain have-blocks.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LeaseRingTests {
    let alice = SigningKeyPair()

    func ringClient(via address: String, as keys: SigningKeyPair) async throws -> RingClient {
        let entry = try await WireClient.connect(to: try PeerAddress(parsing: address), secure: .openDemo(identity: keys),
                                                 connectTimeout: .seconds(5))
        return try await RingClient.start(entry: entry, secure: .openDemo(identity: keys))
    }

    func now() -> UInt64 { UInt64(Date().timeIntervalSince1970) }

    /// The ids of the lease entries (kind 6) of `holder` in a node's log, as written to disk.
    func leasedIDs(_ dataPath: String, holder: [UInt8]) -> Int {
        storedEntryKeys(dataPath, kind: 6).filter { $0 == holder }.count
    }

    @Test func aLeaseReachesEveryReplicaAndARenewalWritesNothing() async throws {
        let tmp = try TemporaryDirectory(prefix: "lease-ring")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-replicas", "3", "-antiEntropyInterval", "600"])
        defer { ring.stopAll() }
        try await ring.converge()
        let client = try await ringClient(via: ring.first.address, as: alice)
        let blocks = (0..<12).map { n in Array("leased block \(n)".utf8) }
        for bytes in blocks { _ = try await client.putBlock(id: BlockID.of(bytes), bytes: bytes) }
        let ids = blocks.map { BlockID.of($0) }
        let absent = BlockID.of(Array("never stored".utf8))

        #expect(try await client.lease(ids + [absent], terms: .init(keys: alice, issuedAt: now())) == ids.map { _ in true } + [false])
        // Every owner copied its grant to the two other nodes before answering: each node logged a lease entry of
        // alice for every owner's group (3 nodes, k = 3: all of them), and nothing for another holder.
        let groups = Set(try ids.map { try ownerIndex(ring, $0) }).count
        var before: [Int] = []
        for (i, _) in ring.servers.enumerated() {
            let entries = leasedIDs(tmp.sub("n\(i)"), holder: alice.publicKey)
            #expect(entries == groups, "node \(i)")
            before.append(entries)
        }
        // Have-blocks with a grant a minute later: answered, renewed in memory, nothing new in any log.
        let present = try await client.haveBlocks(ids + [absent], leasing: .init(keys: alice, issuedAt: now() + 60))
        #expect(present == ids.map { _ in true } + [false])
        for (i, _) in ring.servers.enumerated() {
            #expect(leasedIDs(tmp.sub("n\(i)"), holder: alice.publicKey) == before[i], "node \(i)")
        }
        // A release whose horizon is now ends nothing: every lease was renewed within B of it, so all are still held.
        #expect(try await client.release(ids, horizon: now(), signingWith: alice) == ids.map { _ in true })
        // A grant issued an hour ahead of the nodes' clocks is refused with what to do.
        do {
            _ = try await client.lease(ids, terms: .init(keys: alice, issuedAt: now() + 3600))
            Issue.record("a grant an hour ahead was taken")
        } catch let error as WireError {
            #expect(error.code == .badLease)
            #expect(error.message.contains("clock"))
        }
        await client.close()
    }

    /// The owner's index among the ring's nodes for `id`, as the client routes.
    func ownerIndex(_ ring: LocalRing, _ id: Identifier) throws -> Int {
        let nodeIDs = try ring.servers.map { try LiveRingTests().nodeID($0) }
        let placement = SortedRingPlacement(nodes: nodeIDs.map { NodeIdentity(id: $0, address: "") })
        return try #require(placement.ownerIndex(of: id))
    }

    @Test func aNodeOlderThanLeasesIsAskedAPlainHaveBlocks() async throws {
        let node = try await LyingNode { me in NodeStatus(node: me, predecessor: nil, successors: [me], blocks: 0, bytes: 0) }
        let client = try await ringClient(via: node.address, as: alice)
        let ids = [BlockID.of([1]), BlockID.of([2])]
        #expect(try await client.haveBlocks(ids, leasing: .init(keys: alice, issuedAt: now())) == [false, false])
        do {
            _ = try await client.lease(ids, terms: .init(keys: alice, issuedAt: now()))
            Issue.record("a lease succeeded on a node without leases")
        } catch let error as WireError {
            #expect(error.code == .unknownMessageType)
            #expect(error.message.contains("runs a PeerStore without leases"))
        }
        await client.close()
        await node.stop()
    }
}
