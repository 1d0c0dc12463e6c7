import ChordRing

/// One entry a scrub pass reads: a block or the current record of a key, and where it lay when the pass was planned
/// (the pass reads it where it lies when its turn comes: a compaction may have moved it meanwhile).
public struct ScrubTarget: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case block
        case record
    }

    public var kind: Kind
    public var key: Identifier
    public var segment: Int
    public var offset: Int
    /// Payload bytes.
    public var length: Int

    public init(kind: Kind, key: Identifier, segment: Int, offset: Int, length: Int) {
        self.kind = kind
        self.key = key
        self.segment = segment
        self.offset = offset
        self.length = length
    }
}
