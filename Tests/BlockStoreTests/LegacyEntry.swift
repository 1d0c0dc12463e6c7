import ChordRing
import PeerStoreCrypto

/// The entry layouts older builds wrote, encoded here independently of the store's `EntryHeader`, so that tests hold
/// bytes exactly as an older node left them on disk: `PSE1` (52-byte header, before the payload checksum) and `PSE2`
/// (60-byte header with the payload's XXH3-64, before the 53-byte `PSE3`).
enum LegacyEntry {
    enum Layout: CaseIterable, Sendable {
        case pse1, pse2
    }

    static func encoded(kind: UInt8, key: Identifier, payload: [UInt8], layout: Layout = .pse1) -> [UInt8] {
        var header = Array((layout == .pse1 ? "PSE1" : "PSE2").utf8) + [kind, 0, 0, 0]
        header += withUnsafeBytes(of: UInt32(payload.count).bigEndian) { Array($0) }
        header += key.bytes
        if layout == .pse2 {
            header += payload.withUnsafeBytes { withUnsafeBytes(of: XXH3.hash64($0).bigEndian) { Array($0) } }
        }
        header += Blake2b.hash(header, outputLength: 16).prefix(8)
        return header + payload
    }

    /// A whole segment file of block entries in this layout.
    static func segment(blocks: [(id: Identifier, bytes: [UInt8])], layout: Layout = .pse1) -> [UInt8] {
        blocks.reduce(Array("PEERSTORE-SEG-v1".utf8)) { $0 + encoded(kind: 1, key: $1.id, payload: $1.bytes, layout: layout) }
    }
}
