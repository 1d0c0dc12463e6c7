import ChordRing
import PeerStoreCrypto

/// Where a user's inbox lives on the ring: BLAKE2b-256("peerstore-inbox-v1" || owner Ed25519 public key). The owner of
/// that id (its successor) keeps the inbox and copies it to the replicas, as it does a record.
public enum InboxKey {
    static let context: [UInt8] = Array("peerstore-inbox-v1".utf8)

    public static func of(owner: [UInt8]) -> Identifier {
        Identifier(bytes: Blake2b.hash(context + owner, outputLength: 32))!
    }
}
