import PeerStoreCrypto

/// The client side of the handshake.
public struct ClientHandshake: Sendable {
    enum State: Sendable {
        case ready
        case awaitingServerHello
        case awaitingAccept(ab: [UInt8], aB: [UInt8], Ab: [UInt8], serverKey: [UInt8], sigA: [UInt8], serverHMAC: [UInt8])
        case done
        case failed
    }

    let side: HandshakeSide
    /// The server key pinned for this address; nil to learn it (trust on first use).
    let expectedServerKey: [UInt8]?
    var network: [UInt8] { side.network }
    var identity: SigningKeyPair { side.identity }
    var ephemeral: (publicKey: [UInt8], secretKey: [UInt8]) { side.ephemeral }
    var hello: [UInt8] { side.hello }
    private(set) var state: State = .ready

    public init(networkKey: NetworkKey, identity: SigningKeyPair, expectedServerKey: [UInt8]?) {
        side = HandshakeSide(networkKey: networkKey, identity: identity)
        self.expectedServerKey = expectedServerKey
    }

    /// Bytes the next inbound message must have.
    public var expectedLength: Int {
        switch state {
        case .awaitingServerHello: Handshake.serverHelloLength
        case .awaitingAccept: Handshake.serverAcceptLength
        default: 0
        }
    }

    /// Message 1. Only the first call starts the handshake: calling it again (even after a failure) changes nothing.
    public mutating func start() -> [UInt8] {
        if case .ready = state { state = .awaitingServerHello }
        return hello + ephemeral.publicKey
    }

    /// Feeds one whole inbound message; returns message 3 to send, or the session keys once message 4 checks out.
    public mutating func receive(_ message: [UInt8]) throws -> (send: [UInt8]?, session: SessionKeys?) {
        do {
            switch state {
            case .awaitingServerHello:
                let reply = try onServerHello(message)
                return (reply, nil)
            case .awaitingAccept(let ab, let aB, let Ab, let serverKey, let sigA, let serverHMAC):
                guard message.count == Handshake.serverAcceptLength else {
                    throw HandshakeError(.protocolViolation, "the server's accept message has the wrong length")
                }
                let key = Handshake.boxKey(network, ab, aB, Ab)
                guard let sigB = try? SecretBox.open(message, nonce: Handshake.zeroNonce, key: key),
                    SigningKeyPair.verify(signature: sigB, message: network + sigA + identity.publicKey + SHA256.hash(ab), publicKey: serverKey)
                else {
                    throw HandshakeError(.authenticationFailed, "the server did not prove its key (or did not accept ours)")
                }
                state = .done
                return (nil, Handshake.sessionKeys(network: network, ab: ab, aB: aB, Ab: Ab, clientKey: identity.publicKey, serverKey: serverKey,
                                                   clientHMAC: hello, serverHMAC: serverHMAC, isClient: true))
            default:
                throw HandshakeError(.protocolViolation, "unexpected handshake message")
            }
        } catch let error as HandshakeError {
            state = .failed
            throw error
        } catch {
            state = .failed
            throw HandshakeError(.authenticationFailed, "handshake failed: \(error)")
        }
    }

    private mutating func onServerHello(_ message: [UInt8]) throws -> [UInt8] {
        guard message.count == Handshake.serverHelloLength else {
            throw HandshakeError(.protocolViolation, "the server's hello has the wrong length")
        }
        let serverHMAC = Array(message[0..<32])
        let serverEphemeral = Array(message[32..<64])
        guard HMACSHA512256.verify(serverHMAC, message: serverEphemeral, key: network) else {
            throw HandshakeError(.wrongNetworkKey, "the node uses another network key: check -networkKeyFile")
        }
        let ab = try X25519.sharedSecret(secretKey: ephemeral.secretKey, publicKey: serverEphemeral)
        guard let serverKey = try? SecretBox.open(Array(message[64...]), nonce: Handshake.zeroNonce, key: Handshake.boxKey(network, ab)),
            serverKey.count == 32
        else { throw HandshakeError(.authenticationFailed, "the node's key box did not open") }
        if let expected = expectedServerKey, !ConstantTime.equal(expected, serverKey) {
            throw HandshakeError(.serverKeyChanged, "the node presented a different key than the one pinned for it")
        }
        let aB = try X25519.sharedSecret(secretKey: ephemeral.secretKey, publicKey: try X25519.publicKey(fromEd25519: serverKey))
        let sigA = identity.sign(network + serverKey + SHA256.hash(ab))
        let auth = SecretBox.seal(sigA + identity.publicKey, nonce: Handshake.zeroNonce, key: Handshake.boxKey(network, ab, aB))
        let Ab = try X25519.sharedSecret(secretKey: X25519.secretKey(fromEd25519: identity), publicKey: serverEphemeral)
        state = .awaitingAccept(ab: ab, aB: aB, Ab: Ab, serverKey: serverKey, sigA: sigA, serverHMAC: serverHMAC)
        return auth
    }
}
