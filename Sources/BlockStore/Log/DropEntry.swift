import ChordRing
import PeerStoreCrypto

/// The payload of a drop entry (kind 3, added after v1 segments held only blocks and records): the block whose key the
/// header names, stored at `location`, failed its hash on read and is no longer held. Start-up applies it in log order,
/// so the damaged copy stays dropped after a restart and a later copy of the same block (a repair) is kept. The
/// scrubber also drops a record whose copy fails its signature: the same entry then names the record's key and place
/// (logs written before the scrubber hold block drops only, and read as before).
///
/// ```
/// 0   segment of the dropped payload u64 BE   8
/// 8   offset of the dropped payload u64 BE    8
/// 16  checksum                                8   first 8 bytes of BLAKE2b-128(key || bytes 0..<16)
/// ```
struct DropEntry: Equatable, Sendable {
    static let size = 24

    var key: Identifier
    var segment: Int
    var offset: Int

    func encoded() -> [UInt8] {
        var out = withUnsafeBytes(of: UInt64(segment).bigEndian) { Array($0) }
        out += withUnsafeBytes(of: UInt64(offset).bigEndian) { Array($0) }
        out += Self.checksum(key: key, out)
        return out
    }

    /// Decodes a drop payload for `key`; nil unless it is whole and its checksum holds.
    static func decode(_ bytes: [UInt8], key: Identifier) -> DropEntry? {
        guard bytes.count == size, checksum(key: key, Array(bytes[0..<16])) == Array(bytes[16..<24]) else { return nil }
        let segment = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let offset = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard segment <= UInt64(Int.max), offset <= UInt64(Int.max) else { return nil }
        return DropEntry(key: key, segment: Int(segment), offset: Int(offset))
    }

    /// Whether this entry drops the copy at `location`.
    func drops(_ location: LogLocation) -> Bool {
        location.segment == segment && location.offset == offset
    }

    private static func checksum(key: Identifier, _ body: [UInt8]) -> [UInt8] {
        Array(Blake2b.hash(key.bytes + body, outputLength: 16).prefix(8))
    }
}
