import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel

/// One directory: its entries sorted by name. Sealed deterministically (key and nonce derived from the master key and
/// the content), so an unchanged directory gives the same block and is not stored twice.
/// Plaintext (version 2): `version u8 = 2 | count u32 | entries`, names as raw bytes (see `TreeEntry`). Version 1 had
/// no version byte: it is `count u32 | entries` with UTF-8 names, and its first byte, the high byte of a count of at
/// most 2^22, is always 0. Both are read. A tree whose names, link targets and hard-link paths are all UTF-8 is
/// written as version 1, so that it is the very block an earlier build made of the same folder (no tree is stored
/// again after an upgrade, and earlier builds still read it); version 2 only when a name needs it.
public struct Tree: Equatable, Sendable {
    public static let maxEntries = 1 << 22
    public static let version: UInt8 = 2

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

    public static func decode(_ bytes: [UInt8]) throws -> Tree {
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
        let plain = encoded()
        let nonce = Blake2b.hash(plain, outputLength: XChaCha20Poly1305.nonceLength, key: keys.treeNonce)
        let bytes = try SealedObject.seal(plain, kind: .tree, key: keys.tree, nonce: nonce)
        return (BlockID.of(bytes), bytes)
    }

    public static func open(_ bytes: [UInt8], keys: KeyRing) throws -> Tree {
        try decode(try SealedObject.open(bytes, kind: .tree, key: keys.tree, what: "tree"))
    }
}
