import ChordRing
import PeerStoreCrypto
import PeerStoreModel

/// The payload of a lease log entry (kinds 6 to 8, added after kinds 1 to 5): what a node applied to its `LeaseTable`,
/// replayed at start-up in log order. These are the node's own records, not the holder's signed grant: they carry the
/// node's clock and only the ids that changed, and a checksum guards them as one guards a drop entry.
///
/// ```
/// lease     (6, key = holder): version u8 = 1 | renewed-at u64 | expiry u64 | count u16 | ids 32*count | checksum 8
/// release   (7, key = holder): version u8 = 1 | at u64 | count u16 | ids 32*count | checksum 8
/// tombstone (8, key = block):  version u8 = 1 | deleted-at u64 | checksum 8
/// ```
/// The checksum is the first 8 bytes of BLAKE2b-128(key || the bytes before it); counts are 1 to `LeaseGrant.maxIDs`.
enum LeaseLogEntry: Equatable, Sendable {
    case lease(holder: [UInt8], ids: [Identifier], renewedAt: UInt64, expiry: UInt64)
    case release(holder: [UInt8], ids: [Identifier], at: UInt64)
    case tombstone(id: Identifier, deletedAt: UInt64)

    static let formatVersion: UInt8 = 1

    var kind: EntryHeader.Kind {
        switch self {
        case .lease: .lease
        case .release: .leaseRelease
        case .tombstone: .tombstone
        }
    }

    /// The header's key: the holder for leases and releases, the block for a tombstone.
    var key: Identifier {
        switch self {
        case .lease(let holder, _, _, _), .release(let holder, _, _): Identifier(bytes: holder)!
        case .tombstone(let id, _): id
        }
    }

    func encoded() -> [UInt8] {
        var out: [UInt8] = [Self.formatVersion]
        switch self {
        case .lease(_, let ids, let renewedAt, let expiry):
            out += Self.bytes(renewedAt) + Self.bytes(expiry) + Self.bytes(UInt16(ids.count)) + ids.flatMap(\.bytes)
        case .release(_, let ids, let at):
            out += Self.bytes(at) + Self.bytes(UInt16(ids.count)) + ids.flatMap(\.bytes)
        case .tombstone(_, let deletedAt):
            out += Self.bytes(deletedAt)
        }
        return out + Self.checksum(key: key, out)
    }

    /// Decodes a payload of `kind` under `key`; nil unless it is whole, bounded and its checksum holds.
    static func decode(_ bytes: [UInt8], kind: EntryHeader.Kind, key: Identifier) -> LeaseLogEntry? {
        guard bytes.count >= 1 + 8 + 8, bytes[0] == formatVersion else { return nil }
        let body = Array(bytes.dropLast(8))
        guard checksum(key: key, body) == Array(bytes.suffix(8)) else { return nil }
        var reader = Reader(bytes: body, offset: 1)
        switch kind {
        case .lease:
            guard let renewedAt = reader.u64(), let expiry = reader.u64(), let ids = reader.ids(), reader.atEnd else { return nil }
            return .lease(holder: key.bytes, ids: ids, renewedAt: renewedAt, expiry: expiry)
        case .leaseRelease:
            guard let at = reader.u64(), let ids = reader.ids(), reader.atEnd else { return nil }
            return .release(holder: key.bytes, ids: ids, at: at)
        case .tombstone:
            guard let deletedAt = reader.u64(), reader.atEnd else { return nil }
            return .tombstone(id: key, deletedAt: deletedAt)
        default:
            return nil
        }
    }

    /// Applies a replayed entry to `table`.
    func replay(into table: inout LeaseTable) {
        switch self {
        case .lease(let holder, let ids, let renewedAt, let expiry):
            table.restore(holder: holder, ids: ids, renewedAt: renewedAt, expiry: expiry)
        case .release(let holder, let ids, let at):
            table.restore(releaseOf: holder, ids: ids, at: at)
        case .tombstone(let id, let deletedAt):
            table.delete(id, at: deletedAt)
        }
    }

    private static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    private static func checksum(key: Identifier, _ body: [UInt8]) -> [UInt8] {
        Array(Blake2b.hash(key.bytes + body, outputLength: 16).prefix(8))
    }

    /// Reads big-endian fields, bounding the id count before reading ids.
    private struct Reader {
        let bytes: [UInt8]
        var offset: Int

        var atEnd: Bool { offset == bytes.count }

        mutating func u64() -> UInt64? {
            guard offset + 8 <= bytes.count else { return nil }
            defer { offset += 8 }
            return bytes[offset..<offset + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }

        mutating func ids() -> [Identifier]? {
            guard offset + 2 <= bytes.count else { return nil }
            let count = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            offset += 2
            guard count >= 1, count <= LeaseGrant.maxIDs, offset + 32 * count <= bytes.count else { return nil }
            defer { offset += 32 * count }
            return (0..<count).map { Identifier(bytes: bytes[offset + 32 * $0..<offset + 32 * ($0 + 1)])! }
        }
    }
}
