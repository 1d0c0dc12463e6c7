import ChordRing
import PeerStoreCrypto

/// The header in front of every entry of a segment file: 60 bytes (`PSE2`) for entries written now, 52 (`PSE1`) for
/// entries written by builds before the payload checksum, which still read.
///
/// ```
/// 0   magic "PSE2"            4   ("PSE1": written by older builds)
/// 4   kind                    1   (1 block, 2 record, 3 drop: see `DropEntry`, 4 inbox entry, 5 inbox removal,
///                                  6 lease, 7 lease release, 8 tombstone: see `LeaseLogEntry`)
/// 5   reserved, zero          3
/// 8   payload length u32 BE   4
/// 12  key                     32  (block id, record key, inbox key, or lease holder)
/// 44  payload XXH3-64 u64 BE  8   (PSE2 only)
/// 52  checksum                8   first 8 bytes of BLAKE2b-128 of every header byte before it (PSE1: at 44)
/// ```
/// The payload follows. A block payload is verified by its id (BLAKE2b-256) at start-up and by the scrubber, and by
/// its XXH3-64 on each read (a PSE1 block, which has none, by its id); a record payload by its signature, a drop and a
/// lease entry by their checksums, an inbox entry by its poster's signature and a removal by its owner's, so a torn or
/// corrupt entry is always detected. Kinds 3 to 8 came later: segments written before them hold kinds 1 and 2 (or 1
/// to 3, or 1 to 5) only and read unchanged.
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

    /// The size of the header of entries written now (PSE2).
    public static let size = 60
    /// The size of the header of entries written by older builds (PSE1).
    public static let v1Size = 52
    static let magicV1: [UInt8] = Array("PSE1".utf8)
    static let magicV2: [UInt8] = Array("PSE2".utf8)

    public var kind: Kind
    public var length: UInt32
    public var key: Identifier
    /// XXH3-64 of the payload (PSE2); nil for an entry written by an older build (PSE1).
    public var payloadChecksum: UInt64?

    public init(kind: Kind, length: UInt32, key: Identifier, payloadChecksum: UInt64?) {
        self.kind = kind
        self.length = length
        self.key = key
        self.payloadChecksum = payloadChecksum
    }

    /// The header of a new entry (PSE2) for `payload`.
    public init(kind: Kind, key: Identifier, payload: UnsafeRawBufferPointer) {
        self.init(kind: kind, length: UInt32(payload.count), key: key, payloadChecksum: XXH3.hash64(payload))
    }

    /// The header of a new entry (PSE2) for `payload`.
    public init(kind: Kind, key: Identifier, payload: [UInt8]) {
        self = payload.withUnsafeBytes { EntryHeader(kind: kind, key: key, payload: $0) }
    }

    /// This header's size on disk: `size`, or `v1Size` for a PSE1 header.
    public var encodedSize: Int { payloadChecksum == nil ? Self.v1Size : Self.size }

    public func encoded() -> [UInt8] {
        var out = payloadChecksum == nil ? Self.magicV1 : Self.magicV2
        out.append(kind.rawValue)
        out += [0, 0, 0]
        out += withUnsafeBytes(of: length.bigEndian) { Array($0) }
        out += key.bytes
        if let payloadChecksum { out += withUnsafeBytes(of: payloadChecksum.bigEndian) { Array($0) } }
        out += Blake2b.hash(out, outputLength: 16).prefix(8)
        return out
    }

    /// Whether 4 bytes at `bytes[i...]` are the magic of either version (for the re-sync after damage).
    static func isMagic(_ bytes: [UInt8], at i: Int) -> Bool {
        bytes[i] == 0x50 && bytes[i + 1] == 0x53 && bytes[i + 2] == 0x45 && (bytes[i + 3] == 0x31 || bytes[i + 3] == 0x32)
    }

    /// Decodes a header of either version; nil if the bytes do not start with a whole, intact header.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> EntryHeader? {
        guard bytes.count >= v1Size else { return nil }
        let versioned: Bool
        switch Array(bytes.prefix(4)) {
        case magicV1: versioned = false
        case magicV2 where bytes.count >= size: versioned = true
        default: return nil
        }
        let b = Array(bytes.prefix(versioned ? size : v1Size))
        let sumAt = b.count - 8
        guard b[5] == 0, b[6] == 0, b[7] == 0 else { return nil }
        guard Array(Blake2b.hash(Array(b[0..<sumAt]), outputLength: 16).prefix(8)) == Array(b[sumAt...]) else { return nil }
        guard let kind = Kind(rawValue: b[4]) else { return nil }
        let length = b[8..<12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard let key = Identifier(bytes: b[12..<44]) else { return nil }
        let checksum = versioned ? b[44..<52].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } : nil
        return EntryHeader(kind: kind, length: length, key: key, payloadChecksum: checksum)
    }
}
