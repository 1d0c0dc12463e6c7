import ChordRing
import PeerStoreCrypto
import PeerStoreWire
import Testing

@testable import PeerStoreBackup

/// What a client takes from a node's status during its walk of the ring.
struct RingEntriesTests {
    func node(_ seed: UInt8) -> NodeIdentity {
        let key = try! SigningKeyPair(seed: [UInt8](repeating: seed, count: 32)).publicKey
        return NodeIdentity(id: Identifier(bytes: Blake2b.hash(key, outputLength: 32))!, address: "127.0.0.1:\(4000 + Int(seed))", key: key)
    }

    @Test func successorsWithNoKeyOrAnIDNotTheirKeysHashAreDropped() {
        let asked = node(1)
        let keyless = NodeIdentity(id: node(2).id, address: node(2).address)
        let misplaced = NodeIdentity(id: node(9).id, address: "127.0.0.1:4003", key: node(3).key)
        let status = NodeStatus(node: asked, predecessor: nil, successors: [keyless, node(4), misplaced, node(5)], blocks: 0, bytes: 0)
        #expect(RingEntries.learned(from: status, asked: asked) == [asked, node(4), node(5)])
    }

    @Test func aStatusThatNamesAnotherNodeThanTheOneAskedIsRefused() {
        let asked = node(1)
        let other = NodeStatus(node: node(6), predecessor: nil, successors: [node(4)], blocks: 0, bytes: 0)
        #expect(RingEntries.learned(from: other, asked: asked) == nil)
        // Same id, another key: not the node the connection was pinned to.
        let swapped = NodeStatus(node: NodeIdentity(id: asked.id, address: asked.address, key: node(6).key), predecessor: nil,
                                 successors: [], blocks: 0, bytes: 0)
        #expect(RingEntries.learned(from: swapped, asked: asked) == nil)
    }

    @Test func theEntryNodesStatusMustNameTheKeyItProved() {
        let status = NodeStatus(node: node(1), predecessor: nil, successors: [], blocks: 0, bytes: 0)
        #expect(RingEntries.entryMatches(status, provedKey: node(1).key))
        #expect(!RingEntries.entryMatches(status, provedKey: node(2).key))
        let keyless = NodeStatus(node: NodeIdentity(id: node(1).id, address: "x"), predecessor: nil, successors: [], blocks: 0, bytes: 0)
        #expect(!RingEntries.entryMatches(keyless, provedKey: node(1).key))
    }
}
