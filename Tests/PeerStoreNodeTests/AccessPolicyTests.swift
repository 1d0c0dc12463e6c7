import BlockStore
import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreNode
import PeerStoreModel
import PeerStoreWire
import Testing

/// The access policy alone: who may store, take part in the ring and place puts, with and without an allow list.
@Suite struct AccessPolicyTests {
    static let allowed = SigningKeyPair().publicKey
    static let stranger = SigningKeyPair().publicKey
    static let nodeKey = SigningKeyPair().publicKey
    static let listed = AccessPolicy(allowedUsers: [allowed])
    static let open = AccessPolicy()
    static let put = WireMessage.putBlock(id: BlockID.of([1]), bytes: ByteBuffer(bytes: [1]))
    static let record = WireMessage.putRecord(
        record: try! SignedRecord(signing: [1], salt: [2], seq: 1, with: SigningKeyPair()), expectedSeq: nil)

    @Test func withoutAListEveryoneMayDoEverything() {
        for peer in [Peer(key: Self.stranger, kind: .user), Peer(key: nil, kind: .user), Peer(key: Self.nodeKey, kind: .node)] {
            #expect(Self.open.mayStore(peer))
            #expect(Self.open.mayTakePartInRing(peer))
            #expect(Self.open.placement(of: Self.put, from: peer) == .allowed)
        }
        #expect(!Self.open.distinguishesNodes)
        #expect(Self.listed.distinguishesNodes)
    }

    @Test func aListLetsOnlyItsUsersAndNodesStore() {
        #expect(Self.listed.mayStore(Peer(key: Self.allowed, kind: .user)))
        #expect(Self.listed.mayStore(Peer(key: Self.nodeKey, kind: .node)))
        #expect(Self.listed.mayStore(Peer(key: nil, kind: .node)))
        #expect(!Self.listed.mayStore(Peer(key: Self.stranger, kind: .user)))
        #expect(!Self.listed.mayStore(Peer(key: nil, kind: .user)))
    }

    @Test func listedUsersDoNotTakePartInTheRing() {
        #expect(!Self.listed.mayTakePartInRing(Peer(key: Self.allowed, kind: .user)))
        // A node whose key is also on the list is still a node; others are left to the ring's own checks.
        #expect(Self.listed.mayTakePartInRing(Peer(key: Self.allowed, kind: .node)))
        #expect(Self.listed.mayTakePartInRing(Peer(key: Self.stranger, kind: .user)))
        #expect(Self.listed.mayTakePartInRing(Peer(key: nil, kind: .user)))
    }

    @Test func placedPutsNeedANodeAListedUserOrARingMember() {
        for put in [Self.put, Self.record, .putBlocks([BlockPut(id: BlockID.of([1]), bytes: ByteBuffer(bytes: [1]))])] {
            #expect(Self.listed.placement(of: put, from: Peer(key: Self.nodeKey, kind: .node)) == .allowed)
            #expect(Self.listed.placement(of: put, from: Peer(key: Self.allowed, kind: .user)) == .allowed)
            #expect(Self.listed.placement(of: put, from: Peer(key: nil, kind: .user)) == .refused)
            #expect(Self.listed.placement(of: put, from: Peer(key: Self.stranger, kind: .user))
                == .ifRingMember(Peer.ringID(of: Self.stranger)))
        }
    }

    @Test func placedReadsStayOpen() {
        for read in [WireMessage.getBlock(id: BlockID.of([1])), .getRecord(key: BlockID.of([2]))] {
            #expect(Self.listed.placement(of: read, from: Peer(key: nil, kind: .user)) == .allowed)
            #expect(Self.listed.placement(of: read, from: Peer(key: Self.stranger, kind: .user)) == .allowed)
        }
    }
}
