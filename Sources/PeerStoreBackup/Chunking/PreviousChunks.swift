import ChordRing

/// The chunks a file had at the previous backup, by chunk key, among those the ring still holds. A chunk of the file
/// as it is now whose key is here is the very same plaintext, so its reference is reused as it is: the chunk is hashed
/// once (for its key) but neither compressed, encrypted nor hashed again. An appended log or a database with a few
/// changed pages costs one pass of BLAKE2b over the unchanged parts instead of the whole sealing.
public struct PreviousChunks: Sendable {
    private var byKey: [[UInt8]: ChunkRef] = [:]

    public init() {}

    /// `refs` of the previous version; only those whose block is `present` on the ring are kept.
    public init(_ refs: [ChunkRef], present: [Bool]) {
        for (ref, isPresent) in zip(refs, present) where isPresent {
            byKey[ref.key] = ref
        }
    }

    /// The previous reference for a chunk with this key and length, if there is one.
    public func ref(forKey key: [UInt8], length: Int) -> ChunkRef? {
        guard let ref = byKey[key], ref.length == length else { return nil }
        return ref
    }
}
