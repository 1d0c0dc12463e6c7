import BlockStore
import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreNode
import PeerStoreWire
import Testing

/// Who may post to, list and remove from an inbox: posting is storing, a user posts under its own key only, removal
/// rests on the owner's signature (checked by the store), listing is open.
@Suite struct InboxAccessTests {
    static let allowed = SigningKeyPair()
    static let stranger = SigningKeyPair()
    static let owner = SigningKeyPair()
    static let nodeKey = SigningKeyPair().publicKey

    static func entry(by keys: SigningKeyPair) -> InboxEntry {
        try! InboxEntry(owner: owner.publicKey, sealed: [1], posted: 1, signingWith: keys)
    }

    @Test func aUserPostsUnderItsOwnKeyOnly() {
        let open = AccessPolicy()
        let me = Peer(key: Self.stranger.publicKey, kind: .user)
        #expect(open.mayPost(Self.entry(by: Self.stranger), from: me))
        #expect(!open.mayPost(Self.entry(by: Self.allowed), from: me))
        // Nodes hand on what others posted; a plaintext test connection has no key to compare.
        #expect(open.mayPost(Self.entry(by: Self.allowed), from: Peer(key: Self.nodeKey, kind: .node)))
        #expect(open.mayPost(Self.entry(by: Self.allowed), from: Peer(key: nil, kind: .user)))
    }

    @Test func withAnAllowListOnlyAllowedUsersAndNodesPost() {
        let listed = AccessPolicy(allowedUsers: [Self.allowed.publicKey])
        #expect(listed.mayPost(Self.entry(by: Self.allowed), from: Peer(key: Self.allowed.publicKey, kind: .user)))
        #expect(!listed.mayPost(Self.entry(by: Self.stranger), from: Peer(key: Self.stranger.publicKey, kind: .user)))
        #expect(listed.mayPost(Self.entry(by: Self.stranger), from: Peer(key: Self.nodeKey, kind: .node)))
        // Placed posts are puts: only ring members (or allowed users) place them; placed removals and listings are open.
        let post = WireMessage.inboxPost(entry: Self.entry(by: Self.stranger))
        let stranger = Peer(key: Self.stranger.publicKey, kind: .user)
        #expect(listed.placement(of: post, from: stranger) == .ifRingMember(Peer.ringID(of: Self.stranger.publicKey)))
        #expect(listed.placement(of: post, from: Peer(key: nil, kind: .user)) == .refused)
        let removal = WireMessage.inboxRemove(removal: try! InboxRemoval(ids: [BlockID.of([1])], signingWith: Self.owner))
        #expect(listed.placement(of: removal, from: stranger) == .allowed)
        #expect(listed.placement(of: .inboxList(owner: Self.owner.publicKey), from: stranger) == .allowed)
    }

    /// Through the request processor (no ring): a refused post stores nothing; listing and the owner's removal pass.
    @Test func theProcessorAppliesThePolicy() async throws {
        let f = try ProcessorFixture()
        let processor = RequestProcessor(local: f.processor.local, policy: AccessPolicy(allowedUsers: [Self.allowed.publicKey]))
        let stranger = Peer(key: Self.stranger.publicKey, kind: .user)
        let friend = Peer(key: Self.allowed.publicKey, kind: .user)
        #expect(errorCode(await processor.handle(.inboxPost(entry: Self.entry(by: Self.stranger)), from: stranger)) == .forbidden)
        #expect(errorCode(await processor.handle(.inboxPost(entry: Self.entry(by: Self.stranger)), from: friend)) == .forbidden)
        #expect(f.store.allInboxes().isEmpty)
        let posted = Self.entry(by: Self.allowed)
        #expect(await processor.handle(.inboxPost(entry: posted), from: friend) == .inboxPostResult(stored: true))
        #expect(await processor.handle(.inboxList(owner: Self.owner.publicKey), from: stranger) == .inboxEntries([posted]))
        #expect(await processor.handle(.inboxIDs(owner: Self.owner.publicKey), from: stranger) == .inboxIDsResult(ids: [posted.id]))
        let removal = try InboxRemoval(ids: [posted.id], signingWith: Self.owner)
        // The owner need not be on the list to remove what was posted to it.
        let owner = Peer(key: Self.owner.publicKey, kind: .user)
        #expect(await processor.handle(.inboxRemove(removal: removal), from: owner) == .inboxRemoveResult(changed: true))
        #expect(await processor.handle(.inboxRemove(removal: removal), from: owner) == .inboxRemoveResult(changed: false))
        #expect(await processor.handle(.inboxList(owner: Self.owner.publicKey), from: stranger) == .inboxEntries([]))
        #expect(errorCode(await processor.handle(.inboxEntries([]), from: stranger)) == .unexpectedResponse)
    }
}
