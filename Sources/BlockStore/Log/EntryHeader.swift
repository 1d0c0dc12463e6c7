import ChordRing
import PeerStoreCrypto

/// The header in front of every entry of a segment file: 53 bytes (`PSE3`) for entries written now; 60 (`PSE2`) and 52
/// (`PSE1`) for entries written by older builds, which still read.
///
/// ```
/// PSE3 (written now)                  PSE2                                PSE1 (before the payload checksum)
/// 0   magic "PSE3"           4        0   magic "PSE2"           4        0   magic "PSE1"           4
/// 4   kind                   1        4   kind                   1        4   kind                   1
/// 5   payload length u32 BE  4        5   reserved, zero         3        5   reserved, zero         3
/// 9   key                    32       8   payload length u32 BE  4        8   payload length u32 BE  4
/// 41  payload XXH3-64 u64 BE 8        12  key                    32       12  key                    32
/// 49  checksum               4        44  payload XXH3-64 u64 BE 8        44  checksum               8
///                                     52  checksum               8
/// ```
/// Kinds: 1 block, 2 record, 3 drop (see `DropEntry`), 4 inbox entry, 5 inbox removal, 6 lease, 7 lease release,
/// 8 tombstone (see `LeaseLogEntry`). The key is a block id, record key, inbox key or lease holder. The checksum is the
/// first 8 bytes (PSE3: 4) of BLAKE2b-128 of every header byte before it: it only has to catch a torn or damaged
/// header, and the payload has checks of its own.
///
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

    /// The layout of a header: see the table above.
    public enum Version: UInt8, Sendable {
        case v1 = 1, v2 = 2, v3 = 3

        /// The header's size on disk.
        public var size: Int {
            switch self {
            case .v1: 52
            case .v2: 60
            case .v3: 53
            }
        }

        /// "PSE1", "PSE2" or "PSE3".
        var magic: [UInt8] { [0x50, 0x53, 0x45, 0x30 + rawValue] }
        var checksumLength: Int { self == .v3 ? 4 : 8 }
    }

    /// The size of the header of entries written now (PSE3).
    public static let size = Version.v3.size
    /// The smallest header of any version (PSE1).
    public static let minSize = Version.v1.size
    /// The largest header of any version (PSE2).
    public static let maxSize = Version.v2.size

    public var kind: Kind
    public var length: UInt32
    public var key: Identifier
    /// XXH3-64 of the payload; nil for an entry written by an older build (PSE1).
    public var payloadChecksum: UInt64?
    public var version: Version

    /// A header as given; `version` by default the one written now, or PSE1 without a payload checksum.
    public init(kind: Kind, length: UInt32, key: Identifier, payloadChecksum: UInt64?, version: Version? = nil) {
        self.kind = kind
        self.length = length
        self.key = key
        self.payloadChecksum = payloadChecksum
        self.version = version ?? (payloadChecksum == nil ? .v1 : .v3)
        precondition((self.version == .v1) == (payloadChecksum == nil), "only a PSE1 header has no payload checksum")
    }

    /// The header of a new entry (PSE3) for `payload`.
    public init(kind: Kind, key: Identifier, payload: UnsafeRawBufferPointer) {
        self.init(kind: kind, length: UInt32(payload.count), key: key, payloadChecksum: XXH3.hash64(payload))
    }

    /// The header of a new entry (PSE3) for `payload`.
    public init(kind: Kind, key: Identifier, payload: [UInt8]) {
        self = payload.withUnsafeBytes { EntryHeader(kind: kind, key: key, payload: $0) }
    }

    /// This header's size on disk.
    public var encodedSize: Int { version.size }

    public func encoded() -> [UInt8] {
        var out = version.magic
        out.reserveCapacity(version.size)
        out.append(kind.rawValue)
        if version != .v3 { out += [0, 0, 0] }
        out += withUnsafeBytes(of: length.bigEndian) { Array($0) }
        out += key.bytes
        if let payloadChecksum { out += withUnsafeBytes(of: payloadChecksum.bigEndian) { Array($0) } }
        out += Blake2b.hash(out, outputLength: 16).prefix(version.checksumLength)
        return out
    }

    /// Whether 4 bytes at `bytes[i...]` are the magic of any version (for the re-sync after damage).
    static func isMagic(_ bytes: [UInt8], at i: Int) -> Bool {
        bytes[i] == 0x50 && bytes[i + 1] == 0x53 && bytes[i + 2] == 0x45 && (0x31...0x33).contains(bytes[i + 3])
    }

    /// Decodes a header of any version; nil if the bytes do not start with a whole, intact header.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> EntryHeader? {
        guard bytes.count >= minSize, bytes[0] == 0x50, bytes[1] == 0x53, bytes[2] == 0x45,
              let version = Version(rawValue: bytes[3] &- 0x30), bytes.count >= version.size
        else { return nil }
        let b = Array(bytes.prefix(version.size))
        let sumAt = b.count - version.checksumLength
        guard Array(Blake2b.hash(Array(b[0..<sumAt]), outputLength: 16).prefix(version.checksumLength)) == Array(b[sumAt...]) else {
            return nil
        }
        guard let kind = Kind(rawValue: b[4]) else { return nil }
        var at = 5
        if version != .v3 {
            guard b[5] == 0, b[6] == 0, b[7] == 0 else { return nil }
            at = 8
        }
        func read<T: FixedWidthInteger>(_ type: T.Type) -> T {
            defer { at += MemoryLayout<T>.size }
            return b[at..<(at + MemoryLayout<T>.size)].reduce(T(0)) { $0 << 8 | T($1) }
        }
        let length = read(UInt32.self)
        guard let key = Identifier(bytes: b[at..<(at + 32)]) else { return nil }
        at += 32
        let checksum = version == .v1 ? nil : read(UInt64.self)
        return EntryHeader(kind: kind, length: length, key: key, payloadChecksum: checksum, version: version)
    }
}
