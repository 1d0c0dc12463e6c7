import ChordRing
import Foundation
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// Garbage collection on a ring of real `peerstore-server` processes with a grace period of 2 s (and B of 1 s): a
/// released block is still served before the grace ends and gone from every node after; a block leased again before
/// the grace ends stays, and so does one a replica holds another lease on; anti-entropy does not bring a deleted block back, a client's put of it does.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LeaseCollectionTests {
    let alice = SigningKeyPair()

    func now() -> UInt64 { UInt64(Date().timeIntervalSince1970) }

    /// Whether the node behind `client` itself holds the block (a placed local read: its own store only).
    func holds(_ client: WireClient, _ id: Identifier) async throws -> Bool {
        do {
            guard case .block = try await client.request(.placedPut(role: .local, put: .getBlock(id: id))) else {
                throw TestKitError("\(client.address) answered a block read with something else")
            }
            return true
        } catch let error as WireError where error.code == .notFound {
            return false
        }
    }

    /// The index of the server that owns `id`.
    func ownerIndex(_ ring: LocalRing, _ id: Identifier) throws -> Int {
        let nodeIDs = try ring.servers.map { try LiveRingTests().nodeID($0) }
        let placement = SortedRingPlacement(nodes: nodeIDs.map { NodeIdentity(id: $0, address: "") })
        let ownerID = placement.nodes[try #require(placement.ownerIndex(of: id))].id
        return try #require(nodeIDs.firstIndex(of: ownerID))
    }

    /// What each node holds of `ids`, where it stands in the ring, and its log lines about leases and replicas: what a
    /// failed collection needs to be explained.
    func diagnosis(_ ring: LocalRing, _ nodes: [WireClient], _ ids: [Identifier]) async -> String {
        var lines: [String] = []
        for (server, node) in zip(ring.servers, nodes) {
            var held: [Int] = []
            for (i, id) in ids.enumerated() where (try? await holds(node, id)) ?? false { held.append(i) }
            let status = try? await node.status()
            let ring = status.map { "\($0.node.id) pred \($0.predecessor.map { "\($0.id)" } ?? "nil") succ \($0.successors.map { "\($0.id)" })" }
            lines.append("node \(server.port) holds gone\(held), \(ring ?? "no status")")
            let log = (try? String(contentsOfFile: server.logPath, encoding: .utf8)) ?? ""
            lines += log.split(separator: "\n").filter { line in
                !line.contains("node listening") && ["lease", "replica", "garbage", "did not", "owner"].contains { line.contains($0) }
            }.suffix(40).map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    @Test func aReleasedBlockGoesAfterTheGraceAndOneLeasedAgainStays() async throws {
        let tmp = try TemporaryDirectory(prefix: "lease-collect")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: [
            "-stabilizeInterval", "0.2", "-replicas", "3", "-antiEntropyInterval", "0.3",
            "-gracePeriod", "2", "-leaseBackupBound", "1", "-logLevel", "debug",
        ])
        defer { ring.stopAll() }
        try await ring.converge()
        // One connection per node for the placed reads, so that checking is quick next to the 2 s grace.
        var nodes: [WireClient] = []
        for server in ring.servers {
            nodes.append(try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: server.port), secure: .openDemo()))
        }
        defer { for node in nodes { Task { await node.close() } } }
        let entry = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: ring.first.port),
                                                 secure: .openDemo(identity: alice), connectTimeout: .seconds(5))
        let client = try await RingClient.start(entry: entry, secure: .openDemo(identity: alice))
        let goneBlocks = (0..<4).map { Array("released block \($0)".utf8) }
        let keptBlocks = (0..<4).map { Array("leased again \($0)".utf8) }
        for bytes in goneBlocks + keptBlocks { _ = try await client.putBlock(id: BlockID.of(bytes), bytes: bytes) }
        let gone = goneBlocks.map { BlockID.of($0) }
        let kept = keptBlocks.map { BlockID.of($0) }
        let neverLeased = Array("never leased".utf8)
        _ = try await client.putBlock(id: BlockID.of(neverLeased), bytes: neverLeased)
        let sharedBytes = Array("leased on a replica only".utf8)
        let shared = BlockID.of(sharedBytes)
        _ = try await client.putBlock(id: shared, bytes: sharedBytes)
        #expect(try await client.lease(gone + kept + [shared], terms: .init(keys: alice, issuedAt: now())).allSatisfy { $0 })
        // Bob's lease on `shared` reached one replica only (the owner never saw it).
        let bob = SigningKeyPair()
        let replica = ring.servers[(try ownerIndex(ring, shared) + 1) % ring.servers.count]
        let bobGrant = try LeaseGrant(ids: [shared], issuedAt: now(), expiry: now() + LeaseRules.standardLength, signingWith: bob)
        let toReplica = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: replica.port), secure: .openDemo())
        #expect(try await toReplica.request(.placedPut(role: .replica, put: .leaseBlocks(grant: bobGrant))) == .leaseBlocksResult(present: [true]))
        await toReplica.close()

        // Past B, the prune's release (horizon now) ends every lease; the grace period starts.
        try await Task.sleep(for: .milliseconds(2100))
        #expect(try await client.release(gone + kept + [shared], horizon: now(), signingWith: alice).allSatisfy { !$0 })
        // Within the grace period every node still serves every block, and a backup leases the kept ones again.
        for node in nodes {
            for id in gone + kept { #expect(try await holds(node, id), "\(node.address)") }
        }
        #expect(try await client.haveBlocks(kept, leasing: .init(keys: alice, issuedAt: now())).allSatisfy { $0 })

        // After the grace period the released blocks go from every node (bounded wait), the others stay.
        let deadline = Date().addingTimeInterval(45)
        var remaining = 1
        while Date() < deadline {
            remaining = 0
            for node in nodes {
                for id in gone where try await holds(node, id) { remaining += 1 }
            }
            if remaining == 0 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        if remaining != 0 {
            Issue.record("\(remaining) copies of released blocks stayed past the grace: \(await diagnosis(ring, nodes, gone))")
        }
        for node in nodes {
            // Leased again, or leased by another holder on one replica: kept everywhere.
            for id in kept + [shared] { #expect(try await holds(node, id), "\(node.address)") }
            #expect(try await holds(node, BlockID.of(neverLeased)), "\(node.address)")
        }
        #expect(try await client.getBlock(id: gone[0]) == nil)

        // A client's put of the same content is taken again, on every node (replicas clear their tombstone).
        #expect(try await client.putBlock(id: gone[1], bytes: goneBlocks[1]))
        for node in nodes { #expect(try await holds(node, gone[1]), "\(node.address)") }

        // Anti-entropy never brings a deleted block back: the owner of gone[0] is handed a copy (as a node that
        // missed the deletion would hold it); over several rounds it is not copied to the replicas, which deleted it.
        let ownerAt = try ownerIndex(ring, gone[0])
        let owner = nodes[ownerAt]
        _ = try await owner.request(.placedPut(role: .replica, put: .putBlock(id: gone[0], bytes: .init(bytes: goneBlocks[0]))))
        #expect(try await holds(owner, gone[0]))
        try await Task.sleep(for: .milliseconds(1500))  // five anti-entropy rounds
        for (i, node) in nodes.enumerated() where i != ownerAt {
            #expect(try await !holds(node, gone[0]), "\(node.address)")
        }
        await client.close()
    }
}
