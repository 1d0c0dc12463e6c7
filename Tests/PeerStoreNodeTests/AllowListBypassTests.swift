import ChordRing
import Foundation
import NIOCore
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreNode
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// A holder of the network key whose user id is not on a node's `-allowUsers` list, talking Chord to that node as if
/// it were a node (naming itself, with its own key, so the id matches): it must still not be able to store.
@Suite("Allow list against Chord speakers", .timeLimit(.minutes(2)))
struct AllowListBypassTests {
    @Test func aUserThatSpeaksChordNamingItselfStillCannotStore() async throws {
        let tmp = try TemporaryDirectory(prefix: "allow-bypass")
        defer { tmp.remove() }
        let allowed = SigningKeyPair()
        try Data("\(PublicKeyText.encode(allowed.publicKey, prefix: "ps"))\n".utf8).write(to: URL(fileURLWithPath: tmp.sub("allow")))
        let server = try ServerProcess(dataPath: tmp.sub("node"), extraArguments: ["-allowUsers", tmp.sub("allow")])
        defer { server.stop() }
        let address = PeerAddress(host: "127.0.0.1", port: server.port)

        let attacker = SigningKeyPair()
        let client = try await WireClient.connect(to: address, secure: .openDemo(identity: attacker), connectTimeout: .seconds(5))
        defer { Task { await client.close() } }
        let node = try await client.status().node
        // Its own, genuine identity: the id is BLAKE2b of the key the handshake proved. Nothing listens at the address.
        let me = NodeIdentity(id: Peer.ringID(of: attacker.publicKey), address: "127.0.0.1:1", key: attacker.publicKey)
        for (n, message) in [ChordMessage.rectify, .ping, .findSuccessor(key: me.id), .getState].enumerated() {
            _ = try? await client.request(.chord(ChordEnvelope(from: me, to: node, requestID: message.isRequest ? UInt64(n + 1) : nil,
                                                               message: message)))
        }
        try await Task.sleep(for: .milliseconds(300))  // whatever the node does with it in the background

        let bytes = Array("not yours to store".utf8)
        let id = BlockID.of(bytes)
        let batch = WireMessage.putBlocks([BlockPut(id: id, bytes: ByteBuffer(bytes: bytes))])
        for put in [WireMessage.putBlock(id: id, bytes: ByteBuffer(bytes: bytes)),
                    .placedPut(role: .owner, put: .putBlock(id: id, bytes: ByteBuffer(bytes: bytes))),
                    .placedPut(role: .replica, put: .putBlock(id: id, bytes: ByteBuffer(bytes: bytes))),
                    batch, .placedPut(role: .owner, put: batch), .placedPut(role: .replica, put: batch)] {
            do {
                let reply = try await client.request(put)
                Issue.record("a put from a user not on the list was taken: \(reply)")
            } catch let error as WireError {
                #expect(error.code == .forbidden, "\(error)")
            }
        }
        #expect(try await client.haveBlocks([id]) == [false])

        // The allowed user still may.
        let friend = try await WireClient.connect(to: address, secure: .openDemo(identity: allowed), connectTimeout: .seconds(5))
        defer { Task { await friend.close() } }
        #expect(try await friend.putBlock(id: id, bytes: bytes))
        // A user on the list is a user: it takes no part in the ring.
        let friendly = NodeIdentity(id: Peer.ringID(of: allowed.publicKey), address: "127.0.0.1:1", key: allowed.publicKey)
        do {
            let reply = try await friend.request(.chord(ChordEnvelope(from: friendly, to: node, requestID: 9, message: .getState)))
            Issue.record("an allow-listed user's chord message was answered: \(reply)")
        } catch let error as WireError {
            #expect(error.code == .forbidden, "\(error)")
        }
    }

    @Test func aRectifyFromAPeerThatDoesNotAnswerAtItsAddressIsNotTaken() async throws {
        let server = try RunningServer()
        defer { #expect(server.stop() == 0) }
        let keys = SigningKeyPair()
        let client = try await WireClient.connect(to: server.address, secure: .openDemo(identity: keys), connectTimeout: .seconds(5))
        defer { Task { await client.close() } }
        let node = try await client.status().node
        let me = NodeIdentity(id: Peer.ringID(of: keys.publicKey), address: "127.0.0.1:1", key: keys.publicKey)
        _ = try await client.request(.chord(ChordEnvelope(from: me, to: node, requestID: nil, message: .rectify)))
        // The node tries to reach it at its address first (nothing listens there): bounded wait for the check to end.
        try await Task.sleep(for: .seconds(3))
        #expect(try await client.status().predecessor == nil)
    }
}
