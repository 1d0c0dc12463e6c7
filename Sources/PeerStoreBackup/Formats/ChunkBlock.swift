import ChordRing
import PeerStoreCrypto
import PeerStoreModel

/// A chunk as stored on the ring, convergently encrypted.
///
/// chunk key = keyed BLAKE2b-256(convergence key, plaintext); the nonce is derived from the chunk key (one key seals
/// exactly one plaintext), so equal plaintext of one user gives an equal block, while users with different
/// convergence keys never produce equal blocks. Block layout: `version u8 | kind u8 (chunk) | AEAD(body)` with body
/// `0 | data` (stored) or `1 | rawLength u32 | lz4(data)` (compressed, only when smaller).
public enum ChunkBlock {
    public struct Sealed: Sendable {
        public var ref: ChunkRef
        public var bytes: [UInt8]
    }

    public static func key(for plaintext: [UInt8], convergenceKey: [UInt8]) -> [UInt8] {
        Blake2b.hash(plaintext, outputLength: 32, key: convergenceKey)
    }

    static func nonce(for chunkKey: [UInt8]) -> [UInt8] {
        Blake2b.hash(Array("peerstore.v1.chunk.nonce".utf8), outputLength: XChaCha20Poly1305.nonceLength, key: chunkKey)
    }

    public static func seal(_ plaintext: [UInt8], convergenceKey: [UInt8]) throws -> Sealed {
        try plaintext.withUnsafeBytes { try seal($0, convergenceKey: convergenceKey) }
    }

    /// The chunk key of plaintext in a buffer.
    public static func key(for plaintext: UnsafeRawBufferPointer, convergenceKey: [UInt8]) -> [UInt8] {
        Blake2b.hash(plaintext, outputLength: 32, key: convergenceKey)
    }

    /// Seals straight from the reader's buffer: the block is built in one allocation and encrypted in place. LZ4 is
    /// tried only when a sample says the data compresses, and kept only when it saves space.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, convergenceKey: [UInt8]) throws -> Sealed {
        try seal(plaintext, chunkKey: key(for: plaintext, convergenceKey: convergenceKey))
    }

    /// Seals plaintext whose chunk key is already known (`key(for:convergenceKey:)`).
    public static func seal(_ plaintext: UnsafeRawBufferPointer, chunkKey: [UInt8]) throws -> Sealed {
        var compressed: [UInt8] = []
        if plaintext.count > 64, LZ4.looksCompressible(plaintext) {
            compressed = [UInt8](unsafeUninitializedCapacity: LZ4.bound(plaintext.count)) { out, count in
                count = LZ4.compress(plaintext, into: UnsafeMutableRawBufferPointer(out)) ?? 0
            }
        }
        let useCompressed = !compressed.isEmpty && compressed.count + 4 < plaintext.count
        let bodyCount = useCompressed ? 5 + compressed.count : 1 + plaintext.count
        let total = 2 + bodyCount + XChaCha20Poly1305.tagLength
        let nonce = nonce(for: chunkKey)
        let bytes = try [UInt8](unsafeUninitializedCapacity: total) { out, count in
            let raw = UnsafeMutableRawBufferPointer(out)
            raw[0] = SealedObject.version
            raw[1] = SealedObject.Kind.chunk.rawValue
            if useCompressed {
                raw[2] = 1
                raw.storeBytes(of: UInt32(plaintext.count).bigEndian, toByteOffset: 3, as: UInt32.self)
                compressed.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: raw[7...]).copyMemory(from: $0) }
            } else {
                raw[2] = 0
                if plaintext.count > 0 { UnsafeMutableRawBufferPointer(rebasing: raw[3...]).copyMemory(from: plaintext) }
            }
            try XChaCha20Poly1305.sealInPlace(
                UnsafeMutableRawBufferPointer(rebasing: raw[2...]), count: bodyCount, key: chunkKey, nonce: nonce,
                associatedData: UnsafeRawBufferPointer(rebasing: raw[0..<2]))
            count = total
        }
        return Sealed(ref: ChunkRef(blockID: BlockID.of(bytes), key: chunkKey, length: plaintext.count), bytes: bytes)
    }

    /// Opens a fetched block and checks it is exactly the chunk `ref` names (key and length, and so its id).
    ///
    /// The id is not hashed on the way: the AEAD tag under the chunk key (a secret only the key's owner has) already
    /// proves the bytes are the block that was sealed, and any change to them fails it. Only when the tag fails is the id
    /// hashed, to say whether the node sent other bytes than the block or the block does not belong to this key.
    public static func open(_ bytes: [UInt8], ref: ChunkRef, maxSize: Int = 8 << 20) throws -> [UInt8] {
        guard bytes.count >= 2 + XChaCha20Poly1305.tagLength, bytes[0] == SealedObject.version,
            bytes[1] == SealedObject.Kind.chunk.rawValue
        else { throw BackupError.badFormat("chunk \(ref.blockID.shortHex())", "not a version-1 chunk block") }
        let header = Array(bytes[0..<2])
        let body: [UInt8]
        do {
            body = try bytes.withUnsafeBytes {
                try XChaCha20Poly1305.open(
                    UnsafeRawBufferPointer(rebasing: $0[2...]), key: ref.key, nonce: nonce(for: ref.key), associatedData: header)
            }
        } catch {
            guard BlockID.of(bytes) == ref.blockID else {
                throw BackupError(.corruptBlock, "block \(ref.blockID.shortHex()) failed its hash check (corrupt data from the node)")
            }
            throw BackupError(.corruptBlock, "chunk \(ref.blockID.shortHex()) does not decrypt under its key")
        }
        let plaintext: [UInt8]
        switch body.first {
        case 0:
            plaintext = Array(body[1...])
        case 1:
            guard body.count >= 5 else { throw BackupError.badFormat("chunk \(ref.blockID.shortHex())", "truncated compressed body") }
            let raw = body[1..<5].reduce(0) { $0 << 8 | Int($1) }
            guard raw == ref.length, raw <= maxSize, let out = LZ4.decompress(body[5...], originalSize: raw) else {
                throw BackupError.badFormat("chunk \(ref.blockID.shortHex())", "bad compressed body")
            }
            plaintext = out
        default:
            throw BackupError.badFormat("chunk \(ref.blockID.shortHex())", "unknown body encoding")
        }
        guard plaintext.count == ref.length else {
            throw BackupError(.corruptBlock, "chunk \(ref.blockID.shortHex()) has the wrong length")
        }
        return plaintext
    }
}
