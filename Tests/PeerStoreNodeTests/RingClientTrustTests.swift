import ChordRing
import Foundation
import PeerStoreTestKit
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreWire
import Testing

/// What a client believes of the ring it learns from a node.
@Suite("Ring client trust", .timeLimit(.minutes(1)))
struct RingClientTrustTests {
    @Test func anEntryNodeWhoseStatusNamesAnotherKeyThanItProvedIsRefused() async throws {
        let impostor = SigningKeyPair().publicKey
        let node = try await LyingNode { me in
            // Its own address, but another node's id and key.
            let other = NodeIdentity(id: Identifier(bytes: Blake2b.hash(impostor, outputLength: 32))!, address: me.address, key: impostor)
            return NodeStatus(node: other, predecessor: nil, successors: [other], blocks: 0, bytes: 0)
        }
        let entry = try await WireClient.connect(to: try PeerAddress(parsing: node.address), secure: .openDemo(), connectTimeout: .seconds(5))
        do {
            let ring = try await RingClient.start(entry: entry, secure: .openDemo())
            Issue.record("a ring was learned from an entry node that lied about its key: \(await ring.nodes)")
            await ring.close()
        } catch let error as WireError {
            #expect(error.code == .serverKeyChanged, "\(error)")
        }
        await node.stop()
    }

    @Test func onlyNodesTheClientReachedAreOnesItWouldPin() async throws {
        // A successor that is genuine (its id is its key's hash) but that nothing answers for.
        let ghostKey = SigningKeyPair().publicKey
        let ghost = NodeIdentity(id: Identifier(bytes: Blake2b.hash(ghostKey, outputLength: 32))!, address: "127.0.0.1:1", key: ghostKey)
        let node = try await LyingNode { me in NodeStatus(node: me, predecessor: nil, successors: [ghost, me], blocks: 0, bytes: 0) }
        let entry = try await WireClient.connect(to: try PeerAddress(parsing: node.address), secure: .openDemo(), connectTimeout: .seconds(5))
        let ring = try await RingClient.start(entry: entry, secure: .openDemo())
        #expect(await ring.reachedNodes.map(\.id) == [node.id])
        await ring.close()
        await node.stop()
    }

    @Test func theClientPinsOnlyTheNodesItReached() async throws {
        let tmp = try TemporaryDirectory(prefix: "pins")
        defer { tmp.remove() }
        let ghostKey = SigningKeyPair().publicKey
        let ghost = NodeIdentity(id: Identifier(bytes: Blake2b.hash(ghostKey, outputLength: 32))!, address: "127.0.0.1:1", key: ghostKey)
        let node = try await LyingNode { me in NodeStatus(node: me, predecessor: nil, successors: [ghost, me], blocks: 0, bytes: 0) }
        _ = try CommandRunner.run("peerstore-client", ["-home", tmp.sub("home"), "-operation", "init"])
        let result = try CommandRunner.run("peerstore-client", ["-home", tmp.sub("home"), "-operation", "snapshots", "-peerAddr", node.address],
                                           timeout: 60)
        await node.stop()
        let pins = (try? String(contentsOfFile: tmp.sub("home/known_nodes"), encoding: .utf8)) ?? ""
        #expect(pins.contains(node.address + " "), "\(pins) \(result.stderr)")
        #expect(!pins.contains("127.0.0.1:1 "), "a node only named in a list was pinned: \(pins)")
    }
}
