import ChordRing
import PeerStoreCrypto

extension NodeIdentity {
    /// Whether this ring entry is one a node could have made of itself: it carries a key and its id is BLAKE2b-256 of
    /// that key. Entries that are not are dropped wherever they are decoded or learned, so no entry turns pinning off
    /// (no key) or claims a place on the ring it did not get from its key.
    public var isGenuine: Bool {
        guard let key, key.count == 32 else { return false }
        return Identifier(bytes: Blake2b.hash(key, outputLength: 32)) == id
    }
}
