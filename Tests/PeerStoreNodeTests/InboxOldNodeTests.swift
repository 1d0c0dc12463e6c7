import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// A node older than inboxes answers their messages with "unknown message type": the client says what that means.
@Suite(.timeLimit(.minutes(1)))
struct InboxOldNodeTests {
    @Test func aNodeWithoutInboxesIsNamedAsSuch() async throws {
        let node = try await LyingNode { me in NodeStatus(node: me, predecessor: nil, successors: [me], blocks: 0, bytes: 0) }
        let keys = SigningKeyPair()
        let entry = try await WireClient.connect(to: try PeerAddress(parsing: node.address), secure: .openDemo(identity: keys),
                                                 connectTimeout: .seconds(5))
        let ring = try await RingClient.start(entry: entry, secure: .openDemo(identity: keys))
        let post = try InboxEntry(owner: SigningKeyPair().publicKey, sealed: [1], posted: 1, signingWith: keys)
        let calls: [(String, @Sendable () async throws -> Void)] = [
            ("post", { _ = try await ring.postToInbox(post) }),
            ("list", { _ = try await ring.inboxEntries(owner: keys.publicKey) }),
            ("remove", { try await ring.removeFromInbox(try InboxRemoval(ids: [post.id], signingWith: keys)) }),
        ]
        for (name, call) in calls {
            do {
                try await call()
                Issue.record("\(name) succeeded on a node without inboxes")
            } catch let error as WireError {
                #expect(error.code == .unknownMessageType, "\(name): \(error)")
                #expect(error.message.contains("runs a PeerStore without inboxes"), "\(name): \(error.message)")
            }
        }
        // The connection is still good for what the node knows.
        #expect(try await ring.getRecord(key: post.id) == nil)
        await ring.close()
        await node.stop()
    }
}
