import Foundation
import PeerStoreCrypto

/// The entries of a node's segment file as they lie on disk (docs/formats.md, *Node*), for tests that find and damage
/// them: headers `PSE3` (53 bytes, written now), `PSE2` (60 bytes) and `PSE1` (52 bytes, without the payload's XXH3-64),
/// read here independently of the node's own code.
public struct SegmentLayout {
    public struct Entry: Sendable {
        /// Where the entry (its header) starts.
        public var start: Int
        public var kind: UInt8
        public var key: [UInt8]
        /// Where the payload starts, and its length.
        public var payload: Int
        public var length: Int
        /// The header's version: 1, 2 or 3 (the last digit of its magic).
        public var version: UInt8
        /// Whether the header holds a payload checksum (PSE2, PSE3).
        public var hasPayloadChecksum: Bool { version >= 2 }

        /// Where the length, the key, the payload checksum and the header checksum lie in the header, and the
        /// header's size (docs/formats.md).
        var layout: (length: Int, key: Int, payloadSum: Int, headerSum: Int, size: Int) {
            version == 3 ? (5, 9, 41, 49, 53) : version == 2 ? (8, 12, 44, 52, 60) : (8, 12, 44, 44, 52)
        }
    }

    public static let fileHeaderSize = 16

    /// The entries one after another from the file header on, until the bytes end or stop looking like an entry.
    public static func entries(_ bytes: [UInt8]) -> [Entry] {
        var out: [Entry] = []
        var offset = fileHeaderSize
        while offset + 52 <= bytes.count, bytes[offset] == 0x50, bytes[offset + 1] == 0x53, bytes[offset + 2] == 0x45,
              (0x31...0x33).contains(bytes[offset + 3]) {
            var entry = Entry(start: offset, kind: bytes[offset + 4], key: [], payload: 0, length: 0, version: bytes[offset + 3] - 0x30)
            let layout = entry.layout
            guard offset + layout.size <= bytes.count else { break }
            entry.length = bytes[(offset + layout.length)..<(offset + layout.length + 4)].reduce(0) { $0 << 8 | Int($1) }
            entry.key = Array(bytes[(offset + layout.key)..<(offset + layout.key + 32)])
            entry.payload = offset + layout.size
            guard entry.payload + entry.length <= bytes.count else { break }
            out.append(entry)
            offset = entry.payload + entry.length
        }
        return out
    }

    /// The entries of the segment file at `path` (none if it cannot be read).
    public static func entries(ofFile path: String) -> [Entry] {
        entries([UInt8](FileManager.default.contents(atPath: path) ?? Data()))
    }

    /// Rewrites a PSE2 or PSE3 entry's payload checksum to match the payload as it is now in `bytes`, and its header checksum
    /// to match: what a damaged payload whose checksum agrees by chance looks like. False for a PSE1 entry.
    @discardableResult
    public static func refreshPayloadChecksum(of entry: Entry, in bytes: inout [UInt8]) -> Bool {
        guard entry.hasPayloadChecksum else { return false }
        let sum = bytes.withUnsafeBytes { XXH3.hash64(UnsafeRawBufferPointer(rebasing: $0[entry.payload..<(entry.payload + entry.length)])) }
        let layout = entry.layout
        bytes.replaceSubrange((entry.start + layout.payloadSum)..<(entry.start + layout.payloadSum + 8),
                              with: withUnsafeBytes(of: sum.bigEndian) { Array($0) })
        let headerSum = Blake2b.hash(Array(bytes[entry.start..<(entry.start + layout.headerSum)]), outputLength: 16)
            .prefix(layout.size - layout.headerSum)
        bytes.replaceSubrange((entry.start + layout.headerSum)..<(entry.start + layout.size), with: headerSum)
        return true
    }
}
