import Foundation
import PeerStoreCrypto

/// The entries of a node's segment file as they lie on disk (docs/formats.md, *Node*), for tests that find and damage
/// them: headers `PSE1` (52 bytes, written by older builds) and `PSE2` (60 bytes, with the payload's XXH3-64).
public struct SegmentLayout {
    public struct Entry: Sendable {
        /// Where the entry (its header) starts.
        public var start: Int
        public var kind: UInt8
        public var key: [UInt8]
        /// Where the payload starts, and its length.
        public var payload: Int
        public var length: Int
        /// Whether the header holds a payload checksum (PSE2).
        public var hasPayloadChecksum: Bool
    }

    public static let fileHeaderSize = 16

    /// The entries one after another from the file header on, until the bytes end or stop looking like an entry.
    public static func entries(_ bytes: [UInt8]) -> [Entry] {
        var out: [Entry] = []
        var offset = fileHeaderSize
        while offset + 52 <= bytes.count, bytes[offset] == 0x50, bytes[offset + 1] == 0x53, bytes[offset + 2] == 0x45 {
            let versioned = bytes[offset + 3] == 0x32
            let headerSize = versioned ? 60 : 52
            let length = bytes[(offset + 8)..<(offset + 12)].reduce(0) { $0 << 8 | Int($1) }
            guard offset + headerSize + length <= bytes.count else { break }
            out.append(Entry(start: offset, kind: bytes[offset + 4], key: Array(bytes[(offset + 12)..<(offset + 44)]),
                             payload: offset + headerSize, length: length, hasPayloadChecksum: versioned))
            offset += headerSize + length
        }
        return out
    }

    /// The entries of the segment file at `path` (none if it cannot be read).
    public static func entries(ofFile path: String) -> [Entry] {
        entries([UInt8](FileManager.default.contents(atPath: path) ?? Data()))
    }

    /// Rewrites a PSE2 entry's payload checksum to match the payload as it is now in `bytes`, and its header checksum
    /// to match: what a damaged payload whose checksum agrees by chance looks like. False for a PSE1 entry.
    @discardableResult
    public static func refreshPayloadChecksum(of entry: Entry, in bytes: inout [UInt8]) -> Bool {
        guard entry.hasPayloadChecksum else { return false }
        let sum = bytes.withUnsafeBytes { XXH3.hash64(UnsafeRawBufferPointer(rebasing: $0[entry.payload..<(entry.payload + entry.length)])) }
        bytes.replaceSubrange((entry.start + 44)..<(entry.start + 52), with: withUnsafeBytes(of: sum.bigEndian) { Array($0) })
        let headerSum = Blake2b.hash(Array(bytes[entry.start..<(entry.start + 52)]), outputLength: 16).prefix(8)
        bytes.replaceSubrange((entry.start + 52)..<(entry.start + 60), with: headerSum)
        return true
    }
}
