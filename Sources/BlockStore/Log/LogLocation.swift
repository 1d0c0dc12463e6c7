/// Where an entry's payload lies: segment number, byte offset of the payload, payload length, and the payload's
/// XXH3-64 from its header (nil for an entry an older build wrote, whose header has none: `EntryHeader`).
struct LogLocation: Sendable, Equatable {
    var segment: Int
    var offset: Int
    var length: Int
    var payloadChecksum: UInt64?

    init(segment: Int, offset: Int, length: Int, payloadChecksum: UInt64?) {
        self.segment = segment
        self.offset = offset
        self.length = length
        self.payloadChecksum = payloadChecksum
    }

    /// The entry's size on disk, its header included.
    var entrySize: Int { (payloadChecksum == nil ? EntryHeader.v1Size : EntryHeader.size) + length }
}
