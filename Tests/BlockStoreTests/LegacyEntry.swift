import ChordRing
import PeerStoreCrypto

/// The entry layout builds before the payload checksum wrote (`PSE1`, 52-byte header), encoded here independently of
/// the store's `EntryHeader`, so that tests hold bytes exactly as an older node left them on disk.
enum LegacyEntry {
    static func encoded(kind: UInt8, key: Identifier, payload: [UInt8]) -> [UInt8] {
        var header = Array("PSE1".utf8) + [kind, 0, 0, 0]
        header += withUnsafeBytes(of: UInt32(payload.count).bigEndian) { Array($0) }
        header += key.bytes
        header += Blake2b.hash(header, outputLength: 16).prefix(8)
        return header + payload
    }

    /// A whole segment file of block entries in this layout.
    static func segment(blocks: [(id: Identifier, bytes: [UInt8])]) -> [UInt8] {
        blocks.reduce(Array("PEERSTORE-SEG-v1".utf8)) { $0 + encoded(kind: 1, key: $1.id, payload: $1.bytes) }
    }
}
