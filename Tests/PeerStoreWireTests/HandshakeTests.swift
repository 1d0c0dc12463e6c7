import PeerStoreCrypto
import PeerStoreWire
import Testing

private typealias F = SecureFixtures

private func expectHandshakeError(_ code: HandshakeError.Code? = nil, _ comment: Comment? = nil,
                                  sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected a HandshakeError, nothing was thrown. \(comment.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    } catch let error as HandshakeError {
        if let code { #expect(error.code == code, "\(error) \(comment.map { "\($0)" } ?? "")", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("expected a HandshakeError, got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Secret Handshake state machines")
struct HandshakeTests {
    @Test func messagesHaveTheDocumentedLengths() throws {
        let t = try F.handshake()
        #expect(t.messages.map(\.count) == [Handshake.clientHelloLength, Handshake.serverHelloLength,
                                            Handshake.clientAuthLength, Handshake.serverAcceptLength])
        #expect(t.messages.map(\.count) == [64, 112, 112, 80])
    }

    @Test func bothSidesEndWithMatchingKeys() throws {
        let t = try F.handshake()
        #expect(t.client.sendKey == t.server.receiveKey)
        #expect(t.client.sendNonce == t.server.receiveNonce)
        #expect(t.client.receiveKey == t.server.sendKey)
        #expect(t.client.receiveNonce == t.server.sendNonce)
        #expect(t.client.sendKey != t.client.receiveKey)
        #expect(t.client.sendKey.count == 32 && t.client.sendNonce.count == 24)
        #expect(t.client.remoteKey == F.serverIdentity.publicKey)
        #expect(t.server.remoteKey == F.clientIdentity.publicKey)
        // Nonces are hmac(K, ephemeral)[0..<24]: the first 24 bytes of messages 2 and 1.
        #expect(t.client.sendNonce == Array(t.messages[1].prefix(24)))
        #expect(t.client.receiveNonce == Array(t.messages[0].prefix(24)))
    }

    @Test func everyHandshakeHasFreshKeys() throws {
        let a = try F.handshake(), b = try F.handshake()
        #expect(a.client.sendKey != b.client.sendKey)
        #expect(a.messages[0] != b.messages[0])
    }

    @Test func pinnedServerKeySucceeds() throws {
        var c = F.client(expecting: F.serverIdentity.publicKey)
        var s = F.server()
        let (m2, _) = try s.receive(c.start())
        let (m3, _) = try c.receive(m2)
        let (m4, _) = try s.receive(try #require(m3))
        #expect(try c.receive(m4).session?.remoteKey == F.serverIdentity.publicKey)
    }

    @Test func wrongNetworkKeyIsRefusedOnMessageOne() throws {
        var c = F.client(network: F.otherNetwork)
        var s = F.server()
        expectHandshakeError(.wrongNetworkKey) { _ = try s.receive(c.start()) }
        #expect(s.expectedLength == 0)
    }

    @Test func clientNoticesAServerWithAnotherNetworkKey() throws {
        // A server hello made under another key (here: by a server of another ring answering an impostor hello).
        var impostor = F.client(network: F.otherNetwork)
        var otherServer = F.server(network: F.otherNetwork)
        let (m2, _) = try otherServer.receive(impostor.start())
        var c = F.client()
        _ = c.start()
        expectHandshakeError(.wrongNetworkKey) { _ = try c.receive(m2) }
    }

    @Test func clientExpectingAnotherServerKeyThrows() throws {
        var c = F.client(expecting: SigningKeyPair().publicKey)
        var s = F.server()
        let (m2, _) = try s.receive(c.start())
        expectHandshakeError(.serverKeyChanged) { _ = try c.receive(m2) }
        #expect(c.expectedLength == 0)
    }

    @Test func serverRefusesAClientItDoesNotAllow() throws {
        var c = F.client()
        var s = F.server()
        let (m2, _) = try s.receive(c.start())
        let (m3, _) = try c.receive(m2)
        var asked: [[UInt8]] = []
        expectHandshakeError(.notAllowed) {
            _ = try s.receive(try #require(m3), allow: { asked.append($0); return false })
        }
        #expect(asked == [F.clientIdentity.publicKey])
        #expect(s.expectedLength == 0)
    }

    /// Bit positions to flip in each message: both ends and every field boundary.
    static let flips: [(message: Int, bits: [Int])] = [
        (0, [0, 7, 255, 256, 300, 511]),
        (1, [0, 255, 256, 511, 512, 640, 767, 768, 895]),
        (2, [0, 127, 128, 300, 512, 767, 768, 895]),
        (3, [0, 127, 128, 300, 639]),
    ]

    /// Runs a fresh handshake, passing message `index` (0-based) through `change` on its way; returns the error the
    /// receiving side threw for it (nil if it accepted it). Checks that earlier messages pass and that the failed side
    /// then refuses the untouched message as well.
    static func receiverError(message index: Int, _ change: ([UInt8]) -> [UInt8]) throws -> HandshakeError? {
        var c = F.client()
        var s = F.server()
        var m = c.start()
        for step in 0...index {
            let original = m
            if step == index { m = change(m) }
            do {
                if step % 2 == 0 {
                    m = try s.receive(m).send
                } else {
                    m = try c.receive(m).send ?? []
                }
            } catch let error as HandshakeError {
                #expect(step == index, "failed before the changed message: \(error)")
                #expect((step % 2 == 0 ? s.expectedLength : c.expectedLength) == 0)
                if step % 2 == 0 { expectHandshakeError(.protocolViolation) { _ = try s.receive(original) } }
                else { expectHandshakeError(.protocolViolation) { _ = try c.receive(original) } }
                return error
            }
        }
        return nil
    }

    @Test(arguments: flips)
    func aFlippedBitMakesTheReceiverThrow(message: Int, bits: [Int]) throws {
        for bit in bits {
            let error = try Self.receiverError(message: message) { F.flipped($0, bit: bit) }
            #expect(error != nil, "message \(message + 1) with bit \(bit) flipped was accepted")
        }
        // Untouched, the same path succeeds.
        #expect(try Self.receiverError(message: message) { $0 } == nil)
    }

    @Test func flippedHelloIsAWrongNetworkKeyAndFlippedBoxesFailAuthentication() throws {
        #expect(try Self.receiverError(message: 0) { F.flipped($0, bit: 260) }?.code == .wrongNetworkKey)
        #expect(try Self.receiverError(message: 1) { F.flipped($0, bit: 100) }?.code == .wrongNetworkKey)
        #expect(try Self.receiverError(message: 1) { F.flipped($0, bit: 700) }?.code == .authenticationFailed)
        #expect(try Self.receiverError(message: 2) { F.flipped($0, bit: 700) }?.code == .authenticationFailed)
        #expect(try Self.receiverError(message: 3) { F.flipped($0, bit: 600) }?.code == .authenticationFailed)
    }

    @Test(arguments: 0..<4)
    func wrongLengthsThrow(message: Int) throws {
        let changes: [([UInt8]) -> [UInt8]] = [{ Array($0.dropLast()) }, { $0 + [0] }, { _ in [] }, { $0 + $0 }]
        for change in changes {
            #expect(try Self.receiverError(message: message, change)?.code == .protocolViolation)
        }
    }

    @Test func recordedMessagesReplayedIntoAFreshServerFailAtMessageThree() throws {
        let t = try F.handshake()
        var s = F.server()
        let (reply, session) = try s.receive(t.messages[0])
        #expect(reply.count == Handshake.serverHelloLength && session == nil)
        expectHandshakeError(.authenticationFailed) { _ = try s.receive(t.messages[2]) }
        #expect(s.expectedLength == 0)
    }

    @Test func recordedServerMessagesReplayedIntoAFreshClientFail() throws {
        let t = try F.handshake()
        var c = F.client()
        _ = c.start()
        expectHandshakeError(.authenticationFailed) { _ = try c.receive(t.messages[1]) }
        expectHandshakeError(.protocolViolation) { _ = try c.receive(t.messages[3]) }
    }

    @Test func finishedAndUnstartedMachinesRefuseInput() throws {
        var c = F.client()
        expectHandshakeError(.protocolViolation) { _ = try c.receive([UInt8](repeating: 0, count: 112)) }
        var s = F.server()
        var c2 = F.client()
        let (m2, _) = try s.receive(c2.start())
        let (m3, _) = try c2.receive(m2)
        let (m4, _) = try s.receive(try #require(m3))
        _ = try c2.receive(m4)
        #expect(s.expectedLength == 0 && c2.expectedLength == 0)
        expectHandshakeError(.protocolViolation) { _ = try s.receive(try #require(m3)) }
        expectHandshakeError(.protocolViolation) { _ = try c2.receive(m4) }
    }

    @Test func startAfterFailureDoesNotReviveTheClient() throws {
        var c = F.client()
        let hello = c.start()
        expectHandshakeError(.protocolViolation) { _ = try c.receive([1, 2, 3]) }
        #expect(c.start() == hello)
        #expect(c.expectedLength == 0)
        var s = F.server()
        let (m2, _) = try s.receive(hello)
        expectHandshakeError(.protocolViolation) { _ = try c.receive(m2) }
    }
}
