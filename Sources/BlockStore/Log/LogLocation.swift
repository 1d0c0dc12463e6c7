/// Where an entry's payload lies: segment number, byte offset of the payload, payload length, the payload's XXH3-64
/// from its header (nil for an entry an older build wrote, whose header has none: `EntryHeader`), and the size of that
/// header.
struct LogLocation: Sendable, Equatable {
    var segment: Int
    var offset: Int
    var length: Int
    var payloadChecksum: UInt64?
    private var headerSize: UInt8

    init(segment: Int, offset: Int, length: Int, header: EntryHeader) {
        self.segment = segment
        self.offset = offset
        self.length = length
        self.payloadChecksum = header.payloadChecksum
        self.headerSize = UInt8(header.encodedSize)
    }

    /// The entry's size on disk, its header included.
    var entrySize: Int { Int(headerSize) + length }
}
