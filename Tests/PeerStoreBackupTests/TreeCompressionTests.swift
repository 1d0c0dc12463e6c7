import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Trees are sealed zstd-compressed (`3 | length u32 | frame`) when that saves space; trees earlier builds sealed
/// uncompressed (versions 1 and 2) still open.
struct TreeCompressionTests {
    let keys = KeyRing(masterKey: [UInt8](repeating: 5, count: 32))

    /// A folder of small files: names, modes and times alike, each with one inline chunk.
    static func folder(files: Int) -> Tree {
        var rng = SeededRandom(seed: UInt64(files))
        return Tree(entries: (0..<files).map { i in
            let ref = ChunkRef(blockID: Identifier(bytes: rng.bytes(32))!, key: rng.bytes(32), length: 200 + i)
            return TreeEntry(name: FileName("file-\(i).txt"), kind: .file, mode: 0o644, mtime: Timestamp(seconds: 1_700_000_000 + Int64(i), nanoseconds: 0),
                             uid: 1000, gid: 1000, size: UInt64(200 + i), content: .inline([ref]))
        })
    }

    func plaintext(of sealed: [UInt8]) throws -> [UInt8] {
        try SealedObject.open(sealed, kind: .tree, key: keys.tree, what: "tree")
    }

    @Test func aFolderOfFilesIsSealedCompressedAndOpens() throws {
        let tree = Self.folder(files: 100)
        let sealed = try tree.seal(keys: keys)
        let plain = try plaintext(of: sealed.bytes)
        #expect(plain.first == Tree.compressed)
        #expect(plain.count < tree.encoded().count * 9 / 10, "\(plain.count) of \(tree.encoded().count)")
        #expect(try Tree.open(sealed.bytes, keys: keys) == tree)
        // Deterministic: the same folder is the same block.
        #expect(try Tree(entries: tree.entries.reversed()).seal(keys: keys).id == sealed.id)
    }

    @Test func aTreeThatDoesNotCompressStaysAsEarlierBuildsWroteIt() throws {
        let tree = Self.folder(files: 1)
        #expect(try plaintext(of: tree.seal(keys: keys).bytes) == tree.encoded())
    }

    /// A tree sealed as earlier builds sealed it (its plain encoding, nonce from the content) opens with this build.
    @Test func anUncompressedTreeOfAnEarlierBuildStillOpens() throws {
        let tree = Self.folder(files: 100)
        let plain = tree.encoded()
        let nonce = Blake2b.hash(plain, outputLength: XChaCha20Poly1305.nonceLength, key: keys.treeNonce)
        let old = try SealedObject.seal(plain, kind: .tree, key: keys.tree, nonce: nonce)
        #expect(try Tree.open(old, keys: keys) == tree)
        #expect(try tree.seal(keys: keys).bytes != old)
    }

    /// The tree is inside the AEAD, so damage cannot reach it unnoticed; still, the decoder bounds what it is given: a
    /// cut frame, a frame inside a frame and a length over the bound are refused, and a changed byte never crashes it
    /// (zstd frames carry no checksum here, so a changed literal may decode to another tree).
    @Test func aCutNestedOrOverlongCompressedTreeIsRefused() throws {
        let packed = Self.folder(files: 50).sealedPlaintext()
        #expect(packed.first == Tree.compressed)
        var long = packed
        long[1] = 0x7F  // a length over the bound
        let nested = [Tree.compressed] + withUnsafeBytes(of: UInt32(packed.count).bigEndian) { Array($0) }
            + (packed.withUnsafeBytes { raw in
                [UInt8](unsafeUninitializedCapacity: Zstd.bound(raw.count)) { out, n in n = Zstd.compress(raw, into: UnsafeMutableRawBufferPointer(out)) ?? 0 }
            })
        for bytes in [long, nested, Array(packed.prefix(5)), Array(packed.dropLast(3))] {
            #expect(throws: BackupError.self) { try Tree.decode(bytes) }
        }
        for i in stride(from: 5, to: packed.count, by: 7) {
            var changed = packed
            changed[i] ^= 0x40
            _ = try? Tree.decode(changed)
        }
    }
}
