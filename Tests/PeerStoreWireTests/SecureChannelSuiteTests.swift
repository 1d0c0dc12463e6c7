import NIOCore
import PeerStoreCrypto
import PeerStoreWire
import Testing

private typealias F = SecureFixtures

/// The suite offers after the handshake: both sides agree on the client's first choice the server has, traffic flows
/// in it, and a peer from before the offers is told apart with a line that says what to do.
@Suite("Secure channel suites")
struct SecureChannelSuiteTests {
    static func settings(_ identity: SigningKeyPair, _ suites: [StreamSuite]) -> SecureChannelSettings {
        var settings = SecureChannelSettings(networkKey: F.network, identity: identity)
        settings.suites = suites
        return settings
    }

    @Test(arguments: [
        ([StreamSuite.aes256GCM, .chaCha20Poly1305, .secretBox], [StreamSuite.aes256GCM, .chaCha20Poly1305, .secretBox], StreamSuite.aes256GCM),
        ([.chaCha20Poly1305, .aes256GCM, .secretBox], [.aes256GCM, .chaCha20Poly1305, .secretBox], .chaCha20Poly1305),
        ([.aes256GCM, .chaCha20Poly1305, .secretBox], [.chaCha20Poly1305, .aes256GCM, .secretBox], .aes256GCM),
        ([.aes256GCM, .secretBox], [.chaCha20Poly1305, .secretBox], .secretBox),
    ])
    func bothSidesUseTheClientsFirstChoiceTheServerHas(client: [StreamSuite], server: [StreamSuite], agreed: StreamSuite) throws {
        let pair = try SecurePair(client: Self.settings(F.clientIdentity, client), server: Self.settings(F.serverIdentity, server))
        try pair.client.activate()
        pair.client.write("request")
        try pair.pump()
        pair.server.write(String(repeating: "answer ", count: 30_000))  // several 64 KiB messages
        try pair.pump()
        #expect(pair.client.outcome.suite == agreed && pair.server.outcome.suite == agreed)
        #expect(pair.server.recorder.text == "request")
        #expect(pair.client.recorder.text == String(repeating: "answer ", count: 30_000))
        #expect(pair.client.isActive && pair.server.isActive)
    }

    /// AES-256-GCM is never offered by a CPU without AES instructions.
    @Test func theDefaultPreferenceFollowsTheCPU() {
        #expect(StreamSuite.preference(CPUFeatures(hasAESInstructions: true)) == [.chaCha20Poly1305, .aes256GCM, .secretBox])
        #expect(StreamSuite.preference(CPUFeatures(hasAESInstructions: false)) == [.chaCha20Poly1305, .secretBox])
        #expect(SecureChannelSettings(networkKey: F.network, identity: F.clientIdentity).suites == StreamSuite.preference())
    }

    @Test func sidesWithNoSuiteInCommonCloseWithoutDelivering() throws {
        let pair = try SecurePair(client: Self.settings(F.clientIdentity, [.aes256GCM]), server: Self.settings(F.serverIdentity, [.chaCha20Poly1305]))
        try pair.client.activate()
        pair.client.write("never")
        try pair.pump()
        #expect(!pair.client.isActive && !pair.server.isActive)
        #expect(pair.server.recorder.reads.isEmpty && pair.client.recorder.reads.isEmpty)
        guard case .failure(let error)? = pair.client.result else { Issue.record("the client's outcome did not fail"); return }
        #expect("\(error)".contains("no cipher"))
    }

    @Test func offersRoundTripAndUnknownSuitesAreSkipped() {
        let offer = SuiteOffer(suites: [.chaCha20Poly1305, .aes256GCM, .secretBox])
        #expect(offer.encoded == Array("PSCS".utf8) + [1, 3, 3, 2, 1])
        #expect(SuiteOffer(decoding: offer.encoded) == offer)
        #expect(SuiteOffer(decoding: Array("PSCS".utf8) + [1, 3, 9, 2, 7])?.suites == [.aes256GCM])
        for bad in [Array("PSCS".utf8) + [2, 1, 2], Array("PSCS".utf8) + [1, 2, 2], Array("PSCX".utf8) + [1, 1, 2], Array("PSCS".utf8) + [1, 0],
                    [0, 0, 0, 10, 0x10]] {
            #expect(SuiteOffer(decoding: bad) == nil, "\(bad)")
        }
    }

    /// A server from before the offers answers a client's offer as a garbled frame and closes the connection; one
    /// that sends anything before an offer is not taken for a peer that speaks the suites either.
    @Test func aPeerFromBeforeTheOffersIsToldApart() throws {
        for closes in [true, false] {
            let client = try SecureEnd(client: SecureChannelSettings(networkKey: F.network, identity: F.clientIdentity))
            try client.activate()
            var server = F.server()
            let (m2, _) = try server.receive(try client.drainOutbound())
            try client.deliver(m2)
            let (m4, keys) = try server.receive(try client.drainOutbound())
            try client.deliver(m4)
            let offer = try client.drainOutbound()
            #expect(offer.count == BoxStream.headerLength + 9)
            if closes {
                client.channel.pipeline.fireChannelInactive()
            } else {
                var sealer = BoxStreamSealer(key: try #require(keys).sendKey, nonce: try #require(keys).sendNonce)
                var frame = ByteBuffer()
                sealer.seal(ByteBuffer(bytes: [0, 0, 0, 9, 0x13, 0, 0, 0, 0, 0, 0, 0, 1]), into: &frame)
                try client.deliver(Array(frame.readableBytesView))
            }
            guard case .failure(let error)? = client.result else { Issue.record("no failure (closes: \(closes))"); continue }
            #expect("\(error)".contains("older PeerStore"), "\(error)")
            #expect(client.recorder.reads.isEmpty)
        }
    }
}
