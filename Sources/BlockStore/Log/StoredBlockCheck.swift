import ChordRing
import PeerStoreCrypto
import PeerStoreModel

/// How a read checks the copy of a block it took from disk: by the payload's XXH3-64 that its entry header holds
/// (fast: the id was verified when the block was put, the scrubber re-verifies it), or by its id for an entry an older
/// build wrote without one. `full` is what start-up, the scrubber and a client's report use: the id, always.
enum StoredBlockCheck {
    static func isIntact(_ bytes: [UInt8], id: Identifier, at location: LogLocation) -> Bool {
        guard bytes.count == location.length else { return false }
        guard let sum = location.payloadChecksum else { return BlockID.matches(id, bytes) }
        return XXH3.hash64(bytes) == sum
    }

    static func full(_ bytes: [UInt8], id: Identifier, at location: LogLocation) -> Bool {
        bytes.count == location.length && BlockID.matches(id, bytes)
    }
}
