import BlockStore
import ChordRing
import PeerStoreCrypto

/// Who is on the other end of a connection, as the secure handshake proved it.
public struct Peer: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Another storage node of the ring (its key is a ring member's).
        case node
        /// A user's client.
        case user
    }

    /// The long-term Ed25519 key the peer proved it owns (nil only on plaintext test connections).
    public var key: [UInt8]?
    public var kind: Kind

    public init(key: [UInt8]?, kind: Kind) {
        self.key = key
        self.kind = kind
    }

    /// A node's ring id is bound to its key: BLAKE2b-256(public key). A node whose claimed id differs is an impostor.
    public static func ringID(of key: [UInt8]) -> Identifier {
        Identifier(bytes: Blake2b.hash(key, outputLength: 32))!
    }

    /// Whether a ring entry's id is the one its key implies (an entry claiming another node's place is refused).
    public static func isGenuine(_ node: NodeIdentity) -> Bool { node.isGenuine }

    /// Classifies a proved key: a node if it belongs to a ring member this node reached itself (`RingService.knownNodes`),
    /// a user otherwise.
    public static func classify(key: [UInt8]?, ringMembers: Set<Identifier>) -> Peer {
        guard let key else { return Peer(key: nil, kind: .user) }
        return Peer(key: key, kind: ringMembers.contains(ringID(of: key)) ? .node : .user)
    }
}
