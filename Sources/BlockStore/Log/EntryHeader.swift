import ChordRing
import PeerStoreCrypto

/// The fixed 52-byte header in front of every entry of a segment file.
///
/// ```
/// 0   magic "PSE1"            4
/// 4   kind                    1   (1 block, 2 record, 3 drop: see `DropEntry`, 4 inbox entry, 5 inbox removal,
///                                  6 lease, 7 lease release, 8 tombstone: see `LeaseLogEntry`)
/// 5   reserved, zero          3
/// 8   payload length u32 BE   4
/// 12  key                     32  (block id, record key, inbox key, or lease holder)
/// 44  checksum                8   first 8 bytes of BLAKE2b-128(bytes 0..<44)
/// ```
/// The payload follows. A block payload is verified by its id (BLAKE2b-256), a record payload by its signature, a drop
/// by its checksum, an inbox entry by its poster's signature and a removal by its owner's, so a torn or corrupt entry
/// is always detected, and a lease entry by its checksum. Kinds 3 to 8 came later: segments written before them hold
/// kinds 1 and 2 (or 1 to 3, or 1 to 5) only and read unchanged.
public struct EntryHeader: Equatable, Sendable {
    public enum Kind: UInt8, Sendable {
        case block = 1
        case record = 2
        case drop = 3
        /// An `InboxEntry` (encoded), under its inbox key.
        case inboxEntry = 4
        /// An `InboxRemoval` (encoded), under its inbox key.
        case inboxRemoval = 5
        /// A lease the node applied (`LeaseLogEntry`), under the holder key.
        case lease = 6
        /// A release the node applied, under the holder key.
        case leaseRelease = 7
        /// A deleted block's tombstone, under its id.
        case tombstone = 8
    }

    public static let size = 52
    static let magic: [UInt8] = Array("PSE1".utf8)

    public var kind: Kind
    public var length: UInt32
    public var key: Identifier

    public init(kind: Kind, length: UInt32, key: Identifier) {
        self.kind = kind
        self.length = length
        self.key = key
    }

    public func encoded() -> [UInt8] {
        var out = Self.magic
        out.append(kind.rawValue)
        out += [0, 0, 0]
        out += withUnsafeBytes(of: length.bigEndian) { Array($0) }
        out += key.bytes
        out += Blake2b.hash(out, outputLength: 16).prefix(8)
        return out
    }

    /// Decodes a header; nil if the bytes are not a whole, intact header.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> EntryHeader? {
        guard bytes.count >= size else { return nil }
        let b = Array(bytes.prefix(size))
        guard Array(b[0..<4]) == magic, b[5] == 0, b[6] == 0, b[7] == 0 else { return nil }
        let sum = Array(Blake2b.hash(Array(b[0..<44]), outputLength: 16).prefix(8))
        guard sum == Array(b[44..<52]) else { return nil }
        guard let kind = Kind(rawValue: b[4]) else { return nil }
        let length = b[8..<12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard let key = Identifier(bytes: b[12..<44]) else { return nil }
        return EntryHeader(kind: kind, length: length, key: key)
    }
}
