import PeerStoreCrypto

/// The server side of the handshake.
public struct ServerHandshake: Sendable {
    enum State: Sendable {
        case awaitingClientHello
        case awaitingClientAuth(ab: [UInt8], aB: [UInt8], clientHMAC: [UInt8], clientEphemeral: [UInt8])
        case done
        case failed
    }

    let side: HandshakeSide
    var network: [UInt8] { side.network }
    var identity: SigningKeyPair { side.identity }
    var ephemeral: (publicKey: [UInt8], secretKey: [UInt8]) { side.ephemeral }
    var hello: [UInt8] { side.hello }
    private(set) var state: State = .awaitingClientHello

    public init(networkKey: NetworkKey, identity: SigningKeyPair) {
        side = HandshakeSide(networkKey: networkKey, identity: identity)
    }

    public var expectedLength: Int {
        switch state {
        case .awaitingClientHello: Handshake.clientHelloLength
        case .awaitingClientAuth: Handshake.clientAuthLength
        default: 0
        }
    }

    /// Feeds one whole inbound message; returns what to send and, after message 3, the session keys.
    /// `allow` decides whether the proved client key may connect.
    public mutating func receive(_ message: [UInt8], allow: ([UInt8]) -> Bool = { _ in true }) throws -> (send: [UInt8], session: SessionKeys?) {
        do {
            switch state {
            case .awaitingClientHello:
                guard message.count == Handshake.clientHelloLength else {
                    throw HandshakeError(.protocolViolation, "the client's hello has the wrong length")
                }
                let clientHMAC = Array(message[0..<32])
                let clientEphemeral = Array(message[32..<64])
                guard HMACSHA512256.verify(clientHMAC, message: clientEphemeral, key: network) else {
                    throw HandshakeError(.wrongNetworkKey, "the peer does not know this ring's network key")
                }
                let ab = try X25519.sharedSecret(secretKey: ephemeral.secretKey, publicKey: clientEphemeral)
                let aB = try X25519.sharedSecret(secretKey: X25519.secretKey(fromEd25519: identity), publicKey: clientEphemeral)
                let keyBox = SecretBox.seal(identity.publicKey, nonce: Handshake.zeroNonce, key: Handshake.boxKey(network, ab))
                state = .awaitingClientAuth(ab: ab, aB: aB, clientHMAC: clientHMAC, clientEphemeral: clientEphemeral)
                return (hello + ephemeral.publicKey + keyBox, nil)
            case .awaitingClientAuth(let ab, let aB, let clientHMAC, _):
                guard message.count == Handshake.clientAuthLength else {
                    throw HandshakeError(.protocolViolation, "the client's authentication has the wrong length")
                }
                guard let opened = try? SecretBox.open(message, nonce: Handshake.zeroNonce, key: Handshake.boxKey(network, ab, aB)),
                    opened.count == 96
                else { throw HandshakeError(.authenticationFailed, "the client's authentication did not open") }
                let sigA = Array(opened[0..<64])
                let clientKey = Array(opened[64..<96])
                guard SigningKeyPair.verify(signature: sigA, message: network + identity.publicKey + SHA256.hash(ab), publicKey: clientKey) else {
                    throw HandshakeError(.authenticationFailed, "the client's signature does not verify")
                }
                guard allow(clientKey) else {
                    throw HandshakeError(.notAllowed, "user \(PublicKeyText.encode(clientKey, prefix: "ps")) is not allowed on this node")
                }
                let Ab = try X25519.sharedSecret(secretKey: ephemeral.secretKey, publicKey: try X25519.publicKey(fromEd25519: clientKey))
                let sigB = identity.sign(network + sigA + clientKey + SHA256.hash(ab))
                let accept = SecretBox.seal(sigB, nonce: Handshake.zeroNonce, key: Handshake.boxKey(network, ab, aB, Ab))
                state = .done
                return (accept, Handshake.sessionKeys(network: network, ab: ab, aB: aB, Ab: Ab, clientKey: clientKey,
                                                      serverKey: identity.publicKey, clientHMAC: clientHMAC, serverHMAC: hello,
                                                      isClient: false))
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
}
