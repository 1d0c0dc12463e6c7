import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel

/// One directory: its entries sorted by name. Sealed deterministically (key and nonce derived from the master key and
/// the content), so an unchanged directory gives the same block and is not stored twice.
/// Plaintext (version 2): `version u8 = 2 | count u32 | entries`, names as raw bytes (see `TreeEntry`). Version 1 had
/// no version byte: it is `count u32 | entries` with UTF-8 names, and its first byte, the high byte of a count of at
/// most 2^22, is always 0. Both are read. A tree whose names, link targets and hard-link paths are all UTF-8 is
/// encoded as version 1, version 2 only when a name needs it. The sealed plaintext is that encoding, or, when it
/// saves space, `3 | length u32 | zstd frame` of it (`Zstd`; builds before it never compressed trees, and their trees
/// still read: the first backup after the upgrade stores each folder's tree once more).
public struct Tree: Equatable, Sendable {
    public static let maxEntries = 1 << 22
    public static let version: UInt8 = 2
    /// The first byte of a compressed tree: `3 | length u32 | zstd frame` of a version 1 or 2 plaintext.
    public static let compressed: UInt8 = 3
    /// The longest plaintext a compressed tree may claim.
    public static let maxPlaintextLength = 1 << 28

    public private(set) var entries: [TreeEntry]

    public init(entries: [TreeEntry]) {
        self.entries = entries.sorted { $0.name < $1.name }
    }

    public func entry(named name: FileName) -> TreeEntry? {
        entries.first { $0.name == name }
    }

    public func encoded() -> [UInt8] {
        var out = ByteBuffer()
        if !entries.allSatisfy(\.isUTF8) { out.writeInteger(Self.version) }
        out.writeInteger(UInt32(entries.count))
        for e in entries { e.encode(into: &out) }
        return Array(out.readableBytesView)
    }

    /// The tree a sealed plaintext holds, compressed or not.
    public static func decode(_ bytes: [UInt8]) throws -> Tree {
        guard bytes.first == compressed else { return try decodePlain(bytes) }
        guard bytes.count > 5 else { throw BackupError.badFormat("tree", "truncated compressed tree") }
        let length = bytes[1..<5].reduce(0) { $0 << 8 | Int($1) }
        guard length <= maxPlaintextLength, let plain = Zstd.decompress(bytes[5...], originalSize: length),
              plain.first != compressed else {
            throw BackupError.badFormat("tree", "bad compressed tree")
        }
        return try decodePlain(plain)
    }

    /// The plaintext to seal: the encoding, compressed with zstd when that saves space.
    func sealedPlaintext() -> [UInt8] {
        let plain = encoded()
        guard plain.count > 64 else { return plain }
        let packed = [UInt8](unsafeUninitializedCapacity: 5 + Zstd.bound(plain.count)) { out, count in
            out[0] = Self.compressed
            withUnsafeBytes(of: UInt32(plain.count).bigEndian) { UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(out)[1..<5]).copyMemory(from: $0) }
            let n = plain.withUnsafeBytes { Zstd.compress($0, into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(out)[5...])) }
            count = n.map { 5 + $0 } ?? 0
        }
        return !packed.isEmpty && packed.count < plain.count ? packed : plain
    }

    static func decodePlain(_ bytes: [UInt8]) throws -> Tree {
        var p = ByteBuffer(bytes: bytes)
        let version: UInt8
        switch bytes.first {
        case 0:
            version = 1
        case Self.version:
            version = Self.version
            p.moveReaderIndex(forwardBy: 1)
        case let other?: throw BackupError.badFormat("tree", "unknown tree format version \(other); a newer client wrote it")
        case nil: throw BackupError.badFormat("tree", "empty")
        }
        guard let count = p.readInteger(as: UInt32.self), Int(count) <= maxEntries, Int(count) <= p.readableBytes / 40 + 1 else {
            throw BackupError.badFormat("tree", "bad entry count")
        }
        var entries = [TreeEntry]()
        entries.reserveCapacity(Int(count))
        for _ in 0..<count { entries.append(try TreeEntry.decode(from: &p, version: version)) }
        guard p.readableBytes == 0 else { throw BackupError.badFormat("tree", "trailing bytes") }
        return Tree(entries: entries)
    }

    public func seal(keys: KeyRing) throws -> (id: Identifier, bytes: [UInt8]) {
        let plain = sealedPlaintext()
        let nonce = Blake2b.hash(plain, outputLength: XChaCha20Poly1305.nonceLength, key: keys.treeNonce)
        let bytes = try SealedObject.seal(plain, kind: .tree, key: keys.tree, nonce: nonce)
        return (BlockID.of(bytes), bytes)
    }

    public static func open(_ bytes: [UInt8], keys: KeyRing) throws -> Tree {
        try decode(try SealedObject.open(bytes, kind: .tree, key: keys.tree, what: "tree"))
    }
}
