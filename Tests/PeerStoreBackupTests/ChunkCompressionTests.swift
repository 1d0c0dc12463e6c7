import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Chunk bodies: zstd for small chunks, LZ4 for large ones, and the LZ4 bodies earlier builds wrote for every size
/// still open.
@Suite("Chunk compression")
struct ChunkCompressionTests {
    let keys = KeyRing(masterKey: [UInt8](repeating: 7, count: 32))

    /// Text like a small source file or note: words from a small vocabulary, in lines.
    static func text(bytes: Int, seed: UInt64) -> [UInt8] {
        let words = ["the", "backup", "ring", "node", "block", "folder", "restore", "snapshot", "key", "file", "of", "and"]
        var rng = SeededRandom(seed: seed)
        var out = ""
        while out.utf8.count < bytes { out += words[Int(rng.next() % UInt64(words.count))] + (rng.next() % 9 == 0 ? "\n" : " ") }
        return Array(out.utf8.prefix(bytes))
    }

    /// The encoded body of a sealed chunk (its first byte says stored, LZ4 or zstd).
    func body(of sealed: ChunkBlock.Sealed) throws -> [UInt8] {
        try ChunkBlock.decryptBody(sealed.bytes, key: sealed.ref.key, name: "test")
    }

    /// A version 3 chunk sealed by hand with `body` as its body, the layout docs/formats.md gives.
    func sealByHand(body: [UInt8], plaintext: [UInt8]) throws -> ([UInt8], ChunkRef) {
        let key = ChunkBlock.key(for: plaintext, convergenceKey: keys.convergence)
        let nonce = Array(Blake2b.hash(Array("peerstore.v2.chunk.nonce".utf8), outputLength: 16, key: key).prefix(12))
        let header: [UInt8] = [3, SealedObject.Kind.chunk.rawValue]
        var ciphertext = [UInt8](repeating: 0, count: body.count)
        var tag = [UInt8](repeating: 0, count: 16)
        let context = try AEADContext(.chaCha20Poly1305, key: key, sealing: true)
        body.withUnsafeBytes { b in ciphertext.withUnsafeMutableBytes { c in tag.withUnsafeMutableBytes { t in
            nonce.withUnsafeBytes { n in header.withUnsafeBytes { h in context.seal(b, into: c, tag: t, nonce: n, associatedData: h) } }
        } } }
        let bytes = header + ciphertext + tag
        return (bytes, ChunkRef(blockID: BlockID.of(bytes), key: key, length: plaintext.count))
    }

    func lengthPrefix(_ n: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(n).bigEndian) { Array($0) } }

    @Test func smallChunksTakeZstdLargeOnesLZ4AndRandomOnesAreStored() throws {
        var rng = SeededRandom(seed: 3)
        let cases: [([UInt8], UInt8)] = [
            (Self.text(bytes: 2_000, seed: 1), ChunkCompression.zstd.rawValue),
            (Self.text(bytes: ChunkCompression.zstdBelow - 1, seed: 2), ChunkCompression.zstd.rawValue),
            (Self.text(bytes: ChunkCompression.zstdBelow, seed: 3), ChunkCompression.lz4.rawValue),
            (Self.text(bytes: 300_000, seed: 4), ChunkCompression.lz4.rawValue),
            (rng.bytes(2_000), 0),
            (Array("tiny".utf8), 0),
        ]
        for (plaintext, tag) in cases {
            let sealed = try ChunkBlock.seal(plaintext, convergenceKey: keys.convergence)
            #expect(try body(of: sealed).first == tag, "\(plaintext.count) bytes")
            #expect(try ChunkBlock.open(sealed.bytes, ref: sealed.ref) == plaintext)
        }
    }

    /// What zstd is there for: on small text it stores markedly less than LZ4 would.
    @Test func zstdStoresSmallTextInLessThanLZ4() throws {
        let plaintext = Self.text(bytes: 3_000, seed: 9)
        let zstd = try plaintext.withUnsafeBytes { try #require(ChunkCompression.zstd.compressedIfSmaller($0)) }
        let lz4 = try plaintext.withUnsafeBytes { try #require(ChunkCompression.lz4.compressedIfSmaller($0)) }
        #expect(Double(zstd.count) < 0.9 * Double(lz4.count), "zstd \(zstd.count), lz4 \(lz4.count) of \(plaintext.count)")
        // The frame is trimmed: no magic number (28 b5 2f fd) in front.
        #expect(Array(zstd.prefix(4)) != [0x28, 0xB5, 0x2F, 0xFD])
    }

    /// Earlier builds compressed every chunk with LZ4, small ones too: those blocks open unchanged.
    @Test func aSmallChunkWithAnLZ4BodyAsEarlierBuildsWroteStillOpens() throws {
        let plaintext = Self.text(bytes: 2_500, seed: 5)
        let lz4 = try plaintext.withUnsafeBytes { try #require(ChunkCompression.lz4.compressedIfSmaller($0)) }
        let (bytes, ref) = try sealByHand(body: [1] + lengthPrefix(plaintext.count) + lz4, plaintext: plaintext)
        #expect(try ChunkBlock.open(bytes, ref: ref) == plaintext)
        // This build seals the same plaintext with zstd: another block, as after the version 3 change.
        #expect(try ChunkBlock.seal(plaintext, convergenceKey: keys.convergence).ref.blockID != ref.blockID)
    }

    /// The same small plaintext sealed with two bodies (LZ4, as an earlier build did, and zstd) shares its key and
    /// nonce, so both tags pass: the block named by the ref must still be the one opened.
    @Test func aSmallChunkIsCheckedByItsIdNotOnlyByItsTag() throws {
        let plaintext = Self.text(bytes: 2_500, seed: 8)
        let sealed = try ChunkBlock.seal(plaintext, convergenceKey: keys.convergence)
        let lz4 = try plaintext.withUnsafeBytes { try #require(ChunkCompression.lz4.compressedIfSmaller($0)) }
        let (other, _) = try sealByHand(body: [1] + lengthPrefix(plaintext.count) + lz4, plaintext: plaintext)
        #expect(other != sealed.bytes)
        #expect(try ChunkBlock.decryptBody(other, key: sealed.ref.key, name: "other").first == 1, "the other body's tag passes")
        let error = #expect(throws: BackupError.self) { try ChunkBlock.open(other, ref: sealed.ref) }
        #expect(error?.message.contains("failed its hash check") == true, "\(String(describing: error))")
        #expect(try ChunkBlock.open(sealed.bytes, ref: sealed.ref) == plaintext)
    }

    @Test func aDamagedZstdBodyIsRefusedNotCrashedOn() throws {
        let plaintext = Self.text(bytes: 2_000, seed: 6)
        var zstd = try plaintext.withUnsafeBytes { try #require(ChunkCompression.zstd.compressedIfSmaller($0)) }
        for damage in [{ (z: inout [UInt8]) in z[z.count / 2] ^= 0xFF }, { z in z.removeLast(z.count / 3) }, { z in z[0] ^= 1 }] {
            var bad = zstd
            damage(&bad)
            let (bytes, ref) = try sealByHand(body: [2] + lengthPrefix(plaintext.count) + bad, plaintext: plaintext)
            if let opened = try? ChunkBlock.open(bytes, ref: ref) { #expect(opened == plaintext); continue }
            let error = #expect(throws: BackupError.self) { try ChunkBlock.open(bytes, ref: ref) }
            #expect(error?.message.contains("bad compressed body") == true, "\(String(describing: error))")
        }
        // A whole frame that holds one byte less than the body says is refused too.
        zstd = try plaintext.withUnsafeBytes { try #require(ChunkCompression.zstd.compressedIfSmaller($0)) }
        let (bytes, ref) = try sealByHand(body: [2] + lengthPrefix(plaintext.count + 1) + zstd, plaintext: plaintext + [0])
        #expect(throws: BackupError.self) { try ChunkBlock.open(bytes, ref: ref) }
    }

    @Test func anUnknownBodyEncodingSaysANewerBuildMadeIt() throws {
        let plaintext = Array("some plaintext".utf8)
        let (bytes, ref) = try sealByHand(body: [7] + plaintext, plaintext: plaintext)
        let error = #expect(throws: BackupError.self) { try ChunkBlock.open(bytes, ref: ref) }
        #expect(error?.message.contains("newer PeerStore") == true, "\(String(describing: error))")
    }
}
