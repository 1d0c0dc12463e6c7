import ChordRing
import Logging
import PeerStoreCrypto
import PeerStoreNode
import PeerStoreWire
import Testing

/// What a Chord message arriving as a request may change in a node's ring state.
@Suite("Ring service inbound", .timeLimit(.minutes(1)))
struct RingServiceInboundTests {
    func genuine(_ keys: SigningKeyPair, address: String) -> NodeIdentity {
        NodeIdentity(id: Peer.ringID(of: keys.publicKey), address: address, key: keys.publicKey)
    }

    @Test func repliesSentAsRequestsAreNotTakenAsAnswers() async throws {
        let mine = SigningKeyPair()
        let me = genuine(mine, address: "127.0.0.1:1")
        let transport = NodeTransport(identity: mine, networkKey: .openDemo, logger: Logger(label: "test"))
        let ring = RingService(me: me, settings: ChordSettings(), transport: transport, logger: Logger(label: "test"))
        defer { Task { await ring.stop() } }
        // Joining through a peer that does not answer (nothing listens at its address): requests 1 (the lookup of our
        // own id) and then 2 (the owner's state) are outstanding.
        let peer = genuine(SigningKeyPair(), address: "127.0.0.1:2")
        let joining = Task { await ring.join(via: peer, attempts: 1) }
        try await Task.sleep(for: .milliseconds(50))

        // Someone else answers them, as requests on its own connection, naming itself the owner of our place.
        let intruderKeys = SigningKeyPair()
        let intruder = genuine(intruderKeys, address: "127.0.0.1:3")
        for (id, message) in [(UInt64(1), ChordMessage.findSuccessorReply(.found(owners: [intruder]))),
                              (2, .state(predecessor: nil, successors: [intruder]))] {
            let reply = await ring.handle(ChordEnvelope(from: intruder, to: me, requestID: id, message: message),
                                          provedKey: intruderKeys.publicKey)
            #expect(reply == nil)
        }
        #expect(await joining.value == false)
        #expect(await ring.successors.isEmpty)
    }
}
