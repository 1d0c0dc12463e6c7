import PeerStoreCrypto

/// The Secret Handshake (Tarr, 2017) with one addition, key discovery, as pure state machines: bytes in, bytes,
/// session keys or errors out. No sockets, no clocks.
///
/// K = network key; A, a = client's long-term Ed25519 key pair; B, b = server's; Ae, ae and Be, be = ephemeral X25519
/// key pairs; ab = X25519(ae, Be); aB = X25519(ae, B as X25519) = X25519(b as X25519, Ae);
/// Ab = X25519(a as X25519, Be) = X25519(be, A as X25519); hmac = HMAC-SHA-512-256; box = XSalsa20-Poly1305 with a
/// zero nonce (every box has a key of its own).
///
/// ```
/// 1 client -> server  64 bytes   hmac(K, Ae) | Ae
/// 2 server -> client 112 bytes   hmac(K, Be) | Be | box(sha256(K | ab), B)                 <- key discovery
/// 3 client -> server 112 bytes   box(sha256(K | ab | aB), sigA | A)
///                                  sigA = sign(a, K | B | sha256(ab))
/// 4 server -> client  80 bytes   box(sha256(K | ab | aB | Ab), sigB)
///                                  sigB = sign(b, K | sigA | A | sha256(ab))
/// ```
/// Session: s = sha256(sha256(K | ab | aB | Ab)); client->server key sha256(s | B), nonce hmac(K, Be)[0..<24];
/// server->client key sha256(s | A), nonce hmac(K, Ae)[0..<24].
///
/// Message 2 differs from the published protocol: it also carries the server's long-term key, boxed under a key only
/// holders of K (and this handshake's ephemeral secrets) can derive, so a client that knows only an address can learn
/// the key on first contact and pin it (like ssh's known_hosts). The server still proves it owns B (aB, sigB).
public enum Handshake {
    public static let clientHelloLength = 64
    public static let serverHelloLength = 112
    public static let clientAuthLength = 112
    public static let serverAcceptLength = 80

    static let zeroNonce = [UInt8](repeating: 0, count: 24)
}

/// What either side brings to a handshake: the network key, its long-term key, and a fresh ephemeral key pair with
/// its HMAC under the network key (the first 32 bytes of its hello).
struct HandshakeSide: Sendable {
    let network: [UInt8]
    let identity: SigningKeyPair
    let ephemeral: (publicKey: [UInt8], secretKey: [UInt8])
    let hello: [UInt8]

    init(networkKey: NetworkKey, identity: SigningKeyPair) {
        network = networkKey.bytes
        self.identity = identity
        ephemeral = X25519.ephemeralKeyPair()
        hello = HMACSHA512256.authenticate(ephemeral.publicKey, key: network)
    }
}

/// What both sides hold once the handshake succeeds.
public struct SessionKeys: Sendable, Equatable {
    public var sendKey: [UInt8]
    public var sendNonce: [UInt8]
    public var receiveKey: [UInt8]
    public var receiveNonce: [UInt8]
    /// The long-term Ed25519 key the other side proved it owns.
    public var remoteKey: [UInt8]
}

/// Why a handshake failed. Messages never contain key material.
public struct HandshakeError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// The other side does not know this ring's network key (or sent garbage).
        case wrongNetworkKey
        /// The server proved a key other than the one pinned for its address.
        case serverKeyChanged
        /// A box did not open or a signature did not verify: tampering, or the wrong peer.
        case authenticationFailed
        /// The server does not accept this client's key.
        case notAllowed
        case protocolViolation
        /// The other side did not finish the handshake within the handshake timeout.
        case timedOut
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension Handshake {
    static func boxKey(_ parts: [UInt8]...) -> [UInt8] { SHA256.hash(parts.flatMap { $0 }) }

    static func sessionKeys(network k: [UInt8], ab: [UInt8], aB: [UInt8], Ab: [UInt8], clientKey: [UInt8], serverKey: [UInt8],
                            clientHMAC: [UInt8], serverHMAC: [UInt8], isClient: Bool) -> SessionKeys {
        let secret = SHA256.hash(SHA256.hash(k + ab + aB + Ab))
        let toServer = (key: SHA256.hash(secret + serverKey), nonce: Array(serverHMAC.prefix(24)))
        let toClient = (key: SHA256.hash(secret + clientKey), nonce: Array(clientHMAC.prefix(24)))
        return isClient
            ? SessionKeys(sendKey: toServer.key, sendNonce: toServer.nonce, receiveKey: toClient.key, receiveNonce: toClient.nonce, remoteKey: serverKey)
            : SessionKeys(sendKey: toClient.key, sendNonce: toClient.nonce, receiveKey: toServer.key, receiveNonce: toServer.nonce, remoteKey: clientKey)
    }
}
