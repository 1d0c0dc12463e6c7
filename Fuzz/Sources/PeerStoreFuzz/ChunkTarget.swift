import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel

/// `ChunkBlock.open` on a block whose AEAD body is the input after 4 bytes (the length the chunk ref claims, u32 BE):
/// the body is sealed here under a fixed chunk key exactly as `ChunkBlock.seal` does, so every input authenticates and
/// the body's decoder (stored, LZ4 or zstd) reads it. Random bytes alone would never pass the tag.
enum ChunkTarget {
    static let key = Blake2b.hash(Array("peerstore fuzz chunk key".utf8), outputLength: 32)
    static let nonce = Blake2b.hash(Array("peerstore.v1.chunk.nonce".utf8), outputLength: XChaCha20Poly1305.nonceLength, key: key)
    static let header: [UInt8] = [SealedObject.version, SealedObject.Kind.chunk.rawValue]

    static func run(_ data: [UInt8]) {
        guard data.count >= 4 else { return }
        let length = data[0..<4].reduce(0) { $0 << 8 | Int($1) }
        let sealed = header + (try! XChaCha20Poly1305.seal(Array(data.dropFirst(4)), key: key, nonce: nonce, associatedData: header))
        let ref = ChunkRef(blockID: BlockID.of(sealed), key: key, length: length)
        guard let plaintext = try? ChunkBlock.open(sealed, ref: ref) else { return }
        require(plaintext.count == length, "chunk: opened \(plaintext.count) bytes, the ref says \(length)")
    }

    /// A seed: the length and body a real sealed chunk of `plaintext` carries.
    static func seed(_ plaintext: [UInt8]) throws -> [UInt8] {
        let sealed = try ChunkBlock.seal(plaintext, convergenceKey: key, format: .version1)
        let body = try XChaCha20Poly1305.open(
            Array(sealed.bytes.dropFirst(2)), key: sealed.ref.key,
            nonce: Blake2b.hash(Array("peerstore.v1.chunk.nonce".utf8), outputLength: XChaCha20Poly1305.nonceLength, key: sealed.ref.key),
            associatedData: header)
        let length = UInt32(plaintext.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)] + body
    }
}
