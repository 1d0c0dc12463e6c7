import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

func sampleRef(_ n: UInt8) -> ChunkRef {
    ChunkRef(blockID: Identifier(bytes: [UInt8](repeating: n, count: 32))!, key: [UInt8](repeating: n &+ 1, count: 32), length: 1000 + Int(n))
}

func sampleTree() -> Tree {
    Tree(entries: [
        TreeEntry(name: "b.txt", kind: .file, mode: 0o600, mtime: Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789),
                  uid: 1000, gid: 1000, size: 1001, content: .inline([sampleRef(1)])),
        TreeEntry(name: "a dir ü", kind: .directory, mode: 0o755, mtime: Timestamp(seconds: 5, nanoseconds: 0), size: 0,
                  content: .subtree(Identifier(bytes: [UInt8](repeating: 9, count: 32))!)),
        TreeEntry(name: "link", kind: .symlink, mode: 0o777, mtime: Timestamp(seconds: 6, nanoseconds: 7), size: 5,
                  content: .linkTarget("../x")),
        TreeEntry(name: "big", kind: .file, mode: 0o644, mtime: Timestamp(seconds: 8, nanoseconds: 9), size: 1 << 30,
                  content: .manifest(id: Identifier(bytes: [UInt8](repeating: 3, count: 32))!, sessionKey: [UInt8](repeating: 4, count: 32))),
        TreeEntry(name: "empty", kind: .file, mode: 0o644, mtime: Timestamp(seconds: 1, nanoseconds: 1), size: 0, content: .none),
    ])
}

struct FormatTests {
    let keys = KeyRing(masterKey: [UInt8](repeating: 42, count: 32))

    /// LZ4 of `input`, as liblz4 makes it.
    func lz4(_ input: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: LZ4.bound(input.count)) { out, count in
            count = input.withUnsafeBytes { LZ4.compress($0, into: UnsafeMutableRawBufferPointer(out)) } ?? 0
        }
    }

    @Test func chunkBlockRoundTripIsConvergentAndCompresses() throws {
        let text = [UInt8](String(repeating: "peerstore chunk ", count: 4000).utf8)
        let a = try ChunkBlock.seal(text, convergenceKey: keys.convergence)
        let b = try ChunkBlock.seal(text, convergenceKey: keys.convergence)
        #expect(a.bytes == b.bytes)  // equal plaintext, equal block: dedup
        #expect(a.bytes.count < text.count / 4)  // LZ4 used for text
        #expect(try ChunkBlock.open(a.bytes, ref: a.ref) == text)
        // Another user's convergence key gives another block: no cross-user equality.
        let other = try ChunkBlock.seal(text, convergenceKey: KeyRing(masterKey: [UInt8](repeating: 1, count: 32)).convergence)
        #expect(other.ref.blockID != a.ref.blockID)
        // Random data is stored, not compressed.
        var rng = SeededRandom(seed: 5)
        let noise = rng.bytes(10_000)
        let sealed = try ChunkBlock.seal(noise, convergenceKey: keys.convergence)
        #expect(sealed.bytes.count == noise.count + 2 + 8 + 1 + 16, "version, kind, nonce, body tag, AEAD tag")
        #expect(try ChunkBlock.open(sealed.bytes, ref: sealed.ref) == noise)
    }

    /// The version 1 block layout, built here from its definition: `1 | 1 (chunk) | AEAD(0 | data)` or `AEAD(1 | length | lz4)`,
    /// keyed and nonced from the plaintext. Sealing in place must give exactly these bytes.
    @Test func chunkBlockBytesFollowTheLayout() throws {
        var rng = SeededRandom(seed: 6)
        let noise = rng.bytes(300_000)
        let text = [UInt8](String(repeating: "a line of a log file, number 12345\n", count: 9000).utf8)
        for (plaintext, compressed) in [(noise, false), (text, true)] {
            let sealed = try ChunkBlock.seal(plaintext, convergenceKey: keys.convergence, format: .version1)
            let key = ChunkBlock.key(for: plaintext, convergenceKey: keys.convergence)
            let body: [UInt8] = compressed
                ? [1] + withUnsafeBytes(of: UInt32(plaintext.count).bigEndian) { Array($0) } + lz4(plaintext)
                : [0] + plaintext
            let header: [UInt8] = [1, SealedObject.Kind.chunk.rawValue]
            let expected = header + (try XChaCha20Poly1305.seal(body, key: key, nonce: ChunkBlock.nonce(for: key), associatedData: header))
            #expect(sealed.bytes == expected)
            #expect(sealed.ref.key == key && sealed.ref.length == plaintext.count)
        }
    }

    /// Compression is tried only where a sample compresses: random data costs a sample, text and data that turns
    /// compressible halfway are compressed.
    @Test func compressionIsTriedWhereASampleCompresses() {
        var rng = SeededRandom(seed: 7)
        let noise = rng.bytes(1 << 20)
        let text = [UInt8](String(repeating: "compressible text ", count: 60_000).utf8)
        let mixed = Array(noise.prefix(600_000)) + Array(text.prefix(600_000))
        noise.withUnsafeBytes { #expect(!LZ4.looksCompressible($0)) }
        text.withUnsafeBytes { #expect(LZ4.looksCompressible($0)) }
        mixed.withUnsafeBytes { #expect(LZ4.looksCompressible($0)) }
    }

    @Test func chunkBlockRejectsAnyAlteration() throws {
        let sealed = try ChunkBlock.seal(Array("hello".utf8), convergenceKey: keys.convergence)
        for i in stride(from: 0, to: sealed.bytes.count, by: 3) {
            var bad = sealed.bytes
            bad[i] ^= 0x04
            #expect(throws: BackupError.self) { try ChunkBlock.open(bad, ref: sealed.ref) }
            // Even with a matching id (a node returning other bytes under a correct id is impossible, but a forged ref is not).
            var ref = sealed.ref
            ref.blockID = BlockID.of(bad)
            #expect(throws: BackupError.self) { try ChunkBlock.open(bad, ref: ref) }
        }
        var wrongLength = sealed.ref
        wrongLength.length += 1
        #expect(throws: BackupError.self) { try ChunkBlock.open(sealed.bytes, ref: wrongLength) }
    }

    @Test func manifestRoundTripAndDeterminism() throws {
        let m = FileManifest(size: UInt64((0..<3).map { 1000 + $0 }.reduce(0, +)), chunks: (0..<3).map { sampleRef(UInt8($0)) })
        let s1 = try m.seal(keys: keys)
        let s2 = try m.seal(keys: keys)
        #expect(s1.id == s2.id && s1.sessionKey == s2.sessionKey)
        #expect(try FileManifest.open(s1.bytes, sessionKey: s1.sessionKey) == m)
        #expect(throws: BackupError.self) { try FileManifest.open(s1.bytes, sessionKey: keys.tree) }
        // Sizes that do not add up are refused.
        #expect(throws: BackupError.self) { try FileManifest.decode(FileManifest(size: 1, chunks: [sampleRef(1)]).encoded()) }
    }

    @Test func treeRoundTripSortedAndDeterministic() throws {
        let tree = sampleTree()
        #expect(tree.entries.map(\.name) == ["a dir ü", "b.txt", "big", "empty", "link"])
        let s1 = try tree.seal(keys: keys)
        let s2 = try Tree(entries: tree.entries.reversed()).seal(keys: keys)
        #expect(s1.id == s2.id)
        #expect(try Tree.open(s1.bytes, keys: keys) == tree)
        // A tree block cannot be opened as a snapshot (kind is authenticated).
        #expect(throws: BackupError.self) { try Snapshot.open(s1.bytes, keys: keys) }
    }

    @Test func snapshotAndHeadRoundTrip() throws {
        let snap = Snapshot(time: 123, device: "laptop", hostname: "h", rootPath: "/home/u/docs", rootMode: 0o700,
                            rootMtime: Timestamp(seconds: 4, nanoseconds: 5), rootTree: Identifier(bytes: [UInt8](repeating: 2, count: 32))!,
                            parent: nil, files: 10, directories: 2, bytes: 99)
        let sealed = try snap.seal(keys: keys)
        #expect(try Snapshot.open(sealed.bytes, keys: keys) == snap)
        var withParent = snap
        withParent.parent = sealed.id
        #expect(try Snapshot.decode(withParent.encoded()) == withParent)

        let head = HeadPointer(snapshot: sealed.id, time: 77)
        #expect(try HeadPointer.open(try head.sealedValue(keys: keys), keys: keys) == head)
        #expect(HeadPointer.salt(device: "a", keys: keys) != HeadPointer.salt(device: "b", keys: keys))
    }

    /// Every decoder bounds every length: truncations and random bytes throw, never crash or over-allocate.
    @Test func decodersRejectTruncatedAndRandomInput() {
        let encodings: [([UInt8]) throws -> Void] = [
            { _ = try Tree.decode($0) }, { _ = try FileManifest.decode($0) }, { _ = try Snapshot.decode($0) },
        ]
        let samples: [[UInt8]] = [
            sampleTree().encoded(),
            FileManifest(size: 2001, chunks: [sampleRef(0), sampleRef(1)].map { var r = $0; r.length = $0.length; return r }).encoded(),
            Snapshot(time: 1, device: "d", hostname: "h", rootPath: "/r", rootTree: .zero, parent: .zero, files: 1, directories: 1, bytes: 1).encoded(),
        ]
        for (decode, sample) in zip(encodings, samples) {
            for cut in 0..<sample.count {
                #expect(throws: BackupError.self) { try decode(Array(sample.prefix(cut))) }
            }
            #expect(throws: BackupError.self) { try decode(sample + [0]) }
        }
        var rng = SeededRandom(seed: 99)
        for _ in 0..<2000 {
            let junk = rng.bytes(Int(rng.next() % 300))
            for decode in encodings { _ = try? decode(junk) }
        }
        // A tree claiming four billion entries is refused before anything is allocated.
        #expect(throws: BackupError.self) { try Tree.decode([0xff, 0xff, 0xff, 0xff]) }
    }
}
