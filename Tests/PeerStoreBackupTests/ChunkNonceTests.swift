import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Version 4 chunks: a nonce bound to the body, so two encodings of one plaintext (two zstd or LZ4 versions) never share
/// a key and nonce; blocks of versions 1 to 3, whose nonce the key alone gives, are checked by their id.
@Suite("Chunk nonces")
struct ChunkNonceTests {
    let keys = KeyRing(masterKey: [UInt8](repeating: 9, count: 32))

    /// Version 4 by hand from docs/formats.md: `4 | 1 | nonce 8 | ChaCha20-Poly1305(body) | tag`, the nonce keyed
    /// BLAKE2b-128 of the domain and the body (a compressed one) or of the domain alone (a stored one), the AEAD nonce
    /// the 8 bytes and 4 zeros, the first 10 bytes authenticated, a compressed body `c | frame` with no length.
    @Test(arguments: [false, true])
    func versionFourBytesFollowTheLayout(compressible: Bool) throws {
        var rng = SeededRandom(seed: 4)
        let plaintext = compressible ? ChunkCompressionTests.text(bytes: 3_000, seed: 1) : rng.bytes(3_000)
        let sealed = try ChunkBlock.seal(plaintext, convergenceKey: keys.convergence)
        let key = ChunkBlock.key(for: plaintext, convergenceKey: keys.convergence)
        let body: [UInt8]
        if compressible {
            let frame = try plaintext.withUnsafeBytes { try #require(ChunkCompression.zstd.compressedIfSmaller($0)) }
            body = [ChunkCompression.zstd.rawValue] + frame
        } else {
            body = [0] + plaintext
        }
        let domain = Array("peerstore.v4.chunk.nonce".utf8)
        let nonce = Array(Blake2b.hash(domain + (compressible ? body : []), outputLength: 16, key: key).prefix(8))
        let header: [UInt8] = [4, SealedObject.Kind.chunk.rawValue] + nonce
        var ciphertext = [UInt8](repeating: 0, count: body.count)
        var tag = [UInt8](repeating: 0, count: 16)
        let context = try AEADContext(.chaCha20Poly1305, key: key, sealing: true)
        let aeadNonce = nonce + [0, 0, 0, 0]
        body.withUnsafeBytes { b in ciphertext.withUnsafeMutableBytes { c in tag.withUnsafeMutableBytes { t in
            aeadNonce.withUnsafeBytes { n in header.withUnsafeBytes { h in context.seal(b, into: c, tag: t, nonce: n, associatedData: h) } }
        } } }
        #expect(sealed.bytes == header + ciphertext + tag)
        #expect(try ChunkBlock.open(sealed.bytes, ref: sealed.ref) == plaintext)
    }

    /// The case the version exists for: one small plaintext encoded twice (LZ4, as an earlier build did, and zstd) gets
    /// two nonces, and each block opens to the plaintext.
    @Test func twoEncodingsOfOnePlaintextGetTwoNonces() throws {
        let plaintext = ChunkCompressionTests.text(bytes: 2_500, seed: 2)
        let zstd = try ChunkBlock.seal(plaintext, convergenceKey: keys.convergence)
        let lz4 = try plaintext.withUnsafeBytes { try #require(ChunkCompression.lz4.compressedIfSmaller($0)) }
        let other = try sealVersionFourByHand(body: [ChunkCompression.lz4.rawValue] + lz4, key: zstd.ref.key)
        #expect(Array(other[2..<10]) != Array(zstd.bytes[2..<10]), "two bodies, two nonces")
        let otherRef = ChunkRef(blockID: BlockID.of(other), key: zstd.ref.key, length: plaintext.count)
        #expect(try ChunkBlock.open(other, ref: otherRef) == plaintext)
        #expect(try ChunkBlock.open(zstd.bytes, ref: zstd.ref) == plaintext)
        // Served for the other's ref, the user's own other encoding still opens to the right plaintext.
        #expect(try ChunkBlock.open(zstd.bytes, ref: otherRef) == plaintext)
    }

    /// A changed nonce fails the tag (the nonce is authenticated), and a block cut inside its header or tag is refused
    /// with an error, not read past its end.
    @Test func aChangedNonceOrACutBlockIsRefused() throws {
        let sealed = try ChunkBlock.seal(ChunkCompressionTests.text(bytes: 2_000, seed: 3), convergenceKey: keys.convergence)
        for i in 2..<10 {
            var bad = sealed.bytes
            bad[i] ^= 1
            #expect(throws: BackupError.self) { try ChunkBlock.open(bad, ref: sealed.ref) }
        }
        for length in [1, 2, 9, 10, 20, 25] {
            let cut = Array(sealed.bytes.prefix(length))
            let error = #expect(throws: BackupError.self) { try ChunkBlock.open(cut, ref: sealed.ref) }
            #expect(error != nil, "\(length) bytes")
        }
    }

    /// A large version 3 block (LZ4) and another encoding of the same plaintext (stored) share key and nonce; served
    /// for the LZ4 block's ref, the other is refused by its id, whatever its size.
    @Test func aLargeVersionThreeBlockIsCheckedByItsId() throws {
        let plaintext = ChunkCompressionTests.text(bytes: 300_000, seed: 4)
        let sealed = try ChunkBlock.seal(plaintext, convergenceKey: keys.convergence, format: .keyNonce(.chaCha20Poly1305))
        #expect(try ChunkBlock.decryptBody(sealed.bytes, key: sealed.ref.key, name: "v3").first == ChunkCompression.lz4.rawValue)
        let stored = try sealVersionThreeByHand(body: [0] + plaintext, key: sealed.ref.key)
        #expect(try ChunkBlock.decryptBody(stored, key: sealed.ref.key, name: "other").first == 0, "the other's tag passes")
        let error = #expect(throws: BackupError.self) { try ChunkBlock.open(stored, ref: sealed.ref) }
        #expect(error?.message.contains("failed its hash check") == true, "\(String(describing: error))")
        #expect(try ChunkBlock.open(sealed.bytes, ref: sealed.ref) == plaintext)
    }

    func sealVersionFourByHand(body: [UInt8], key: [UInt8]) throws -> [UInt8] {
        let nonce = Array(Blake2b.hash(Array("peerstore.v4.chunk.nonce".utf8) + body, outputLength: 16, key: key).prefix(8))
        return try seal(body: body, key: key, header: [4, SealedObject.Kind.chunk.rawValue] + nonce, nonce: nonce + [0, 0, 0, 0])
    }

    func sealVersionThreeByHand(body: [UInt8], key: [UInt8]) throws -> [UInt8] {
        let nonce = Array(Blake2b.hash(Array("peerstore.v2.chunk.nonce".utf8), outputLength: 16, key: key).prefix(12))
        return try seal(body: body, key: key, header: [3, SealedObject.Kind.chunk.rawValue], nonce: nonce)
    }

    private func seal(body: [UInt8], key: [UInt8], header: [UInt8], nonce: [UInt8]) throws -> [UInt8] {
        var ciphertext = [UInt8](repeating: 0, count: body.count)
        var tag = [UInt8](repeating: 0, count: 16)
        let context = try AEADContext(.chaCha20Poly1305, key: key, sealing: true)
        body.withUnsafeBytes { b in ciphertext.withUnsafeMutableBytes { c in tag.withUnsafeMutableBytes { t in
            nonce.withUnsafeBytes { n in header.withUnsafeBytes { h in context.seal(b, into: c, tag: t, nonce: n, associatedData: h) } }
        } } }
        return header + ciphertext + tag
    }
}
