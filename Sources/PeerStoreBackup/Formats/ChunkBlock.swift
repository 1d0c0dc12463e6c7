import ChordRing
import PeerStoreCrypto
import PeerStoreModel

/// A chunk as stored on the ring, convergently encrypted.
///
/// chunk key = keyed BLAKE2b-256(convergence key, plaintext), so equal plaintext of one user gives an equal block,
/// while users with different convergence keys never produce equal blocks.
///
/// What this build writes, version 4 (`ChunkFormat.preferred`):
/// `4 | kind u8 (chunk) | nonce 8 | ChaCha20-Poly1305(body) | tag 16`, the first 10 bytes authenticated, the AEAD's
/// 12-byte nonce the stored 8 followed by 4 zero bytes. The body is `0 | data` (stored) or `c | frame` (compressed
/// with `ChunkCompression(rawValue: c)`, only when smaller; the plaintext's length is the `ChunkRef`'s). The nonce is
/// the first 8 bytes of keyed BLAKE2b-128(chunk key, "peerstore.v4.chunk.nonce" | body) for a compressed body, and of
/// keyed BLAKE2b-128(chunk key, "peerstore.v4.chunk.nonce") for a stored one (the key already fixes that body). So two
/// encodings of one plaintext, which two compressor versions may make, never share a key and nonce. Version 5 is the
/// same with AES-256-GCM.
///
/// Earlier builds wrote versions 1 to 3, still read: their nonce comes from the chunk key alone and a compressed body
/// carries `rawLength u32` after its tag byte. Version 1 is XChaCha20-Poly1305 (libsodium) with LZ4, 2 AES-256-GCM and
/// 3 ChaCha20-Poly1305 (OpenSSL).
public enum ChunkBlock {
    public struct Sealed: Sendable {
        public var ref: ChunkRef
        public var bytes: [UInt8]
    }

    /// The stored nonce of versions 4 and 5. Only encodings of one plaintext ever share a key, a handful at most, so
    /// 64 bits keep their nonces apart with room to spare.
    static let boundNonceLength = 8

    public static func key(for plaintext: [UInt8], convergenceKey: [UInt8]) -> [UInt8] {
        Blake2b.hash(plaintext, outputLength: 32, key: convergenceKey)
    }

    /// The chunk key of plaintext in a buffer.
    public static func key(for plaintext: UnsafeRawBufferPointer, convergenceKey: [UInt8]) -> [UInt8] {
        Blake2b.hash(plaintext, outputLength: 32, key: convergenceKey)
    }

    /// The nonce of a version 1 chunk (24 bytes).
    static func nonce(for chunkKey: [UInt8]) -> [UInt8] {
        Blake2b.hash(Array("peerstore.v1.chunk.nonce".utf8), outputLength: XChaCha20Poly1305.nonceLength, key: chunkKey)
    }

    /// The 12-byte nonce of a version 2 or 3 chunk: the first 12 bytes of a keyed BLAKE2b-128 (its shortest output).
    static func shortNonce(for chunkKey: [UInt8]) -> [UInt8] {
        Array(Blake2b.hash(Array("peerstore.v2.chunk.nonce".utf8), outputLength: 16, key: chunkKey).prefix(AEADAlgorithm.nonceLength))
    }

    /// The stored nonce of a version 4 or 5 chunk: `compressedBody` is the whole body of a compressed chunk, nil for a
    /// stored one.
    static func boundNonce(for chunkKey: [UInt8], compressedBody: UnsafeRawBufferPointer?) -> [UInt8] {
        var hash = Blake2b(outputLength: 16, key: chunkKey)
        hash.update(Array("peerstore.v4.chunk.nonce".utf8))
        if let compressedBody { hash.update(compressedBody) }
        return Array(hash.finalize().prefix(boundNonceLength))
    }

    /// The AEAD's 12-byte nonce for a stored 8-byte one.
    static func aeadNonce(bound: UnsafeRawBufferPointer) -> [UInt8] {
        Array(bound) + [UInt8](repeating: 0, count: AEADAlgorithm.nonceLength - boundNonceLength)
    }

    public static func seal(_ plaintext: [UInt8], convergenceKey: [UInt8], format: ChunkFormat = .preferred) throws -> Sealed {
        try plaintext.withUnsafeBytes { try seal($0, convergenceKey: convergenceKey, format: format) }
    }

    /// Seals straight from the reader's buffer: the block is built in one allocation and encrypted in place.
    /// Compression is tried only when a sample says the data compresses, and kept only when it saves space.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, convergenceKey: [UInt8], format: ChunkFormat = .preferred) throws -> Sealed {
        try seal(plaintext, chunkKey: key(for: plaintext, convergenceKey: convergenceKey), format: format)
    }

    /// Seals plaintext whose chunk key is already known (`key(for:convergenceKey:)`), as `format` says.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, chunkKey: [UInt8], format: ChunkFormat = .preferred) throws -> Sealed {
        let algorithm: AEADAlgorithm
        switch format {
        case .version1:
            return try sealVersion1(plaintext, compressed: ChunkCompression.lz4.compressedIfSmaller(plaintext), chunkKey: chunkKey)
        case .keyNonce(let a), .bodyNonce(let a):
            algorithm = a
        }
        let compression = ChunkCompression.for(plaintextLength: plaintext.count)
        let compressed = compression.compressedIfSmaller(plaintext)
        let useCompressed = compressed != nil
        let header = format.headerCount
        let lengthField = format.bodyHasLength ? 4 : 0
        let bodyCount = compressed.map { 1 + lengthField + $0.count } ?? 1 + plaintext.count
        let total = header + bodyCount + AEADAlgorithm.tagLength
        let context = try AEADContext(algorithm, key: chunkKey, sealing: true)
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { out, count in
            let raw = UnsafeMutableRawBufferPointer(out)
            raw[0] = format.version
            raw[1] = SealedObject.Kind.chunk.rawValue
            let body = UnsafeMutableRawBufferPointer(rebasing: raw[header..<(header + bodyCount)])
            if useCompressed {
                body[0] = compression.rawValue
                if lengthField > 0 { body.storeBytes(of: UInt32(plaintext.count).bigEndian, toByteOffset: 1, as: UInt32.self) }
                compressed!.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: body[(1 + lengthField)...]).copyMemory(from: $0) }
            } else {
                body[0] = 0
                if plaintext.count > 0 { UnsafeMutableRawBufferPointer(rebasing: body[1...]).copyMemory(from: plaintext) }
            }
            let nonce: [UInt8]
            if format.nonceBindsBody {
                let bound = boundNonce(for: chunkKey, compressedBody: useCompressed ? UnsafeRawBufferPointer(body) : nil)
                bound.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: raw[2..<header]).copyMemory(from: $0) }
                nonce = bound.withUnsafeBytes { aeadNonce(bound: $0) }
            } else {
                nonce = shortNonce(for: chunkKey)
            }
            nonce.withUnsafeBytes { n in
                context.seal(UnsafeRawBufferPointer(body), into: body, tag: UnsafeMutableRawBufferPointer(rebasing: raw[(header + bodyCount)...]),
                             nonce: n, associatedData: UnsafeRawBufferPointer(rebasing: raw[0..<header]))
            }
            count = total
        }
        return Sealed(ref: ChunkRef(blockID: BlockID.of(bytes), key: chunkKey, length: plaintext.count), bytes: bytes)
    }

    /// A version 1 chunk (XChaCha20-Poly1305, LZ4 only), as builds before version 2 sealed them.
    private static func sealVersion1(_ plaintext: UnsafeRawBufferPointer, compressed: [UInt8]?, chunkKey: [UInt8]) throws -> Sealed {
        let header: [UInt8] = [1, SealedObject.Kind.chunk.rawValue]
        let body = compressed.map { [1] + withUnsafeBytes(of: UInt32(plaintext.count).bigEndian) { Array($0) } + $0 } ?? [0] + Array(plaintext)
        let bytes = header + (try XChaCha20Poly1305.seal(body, key: chunkKey, nonce: nonce(for: chunkKey), associatedData: header))
        return Sealed(ref: ChunkRef(blockID: BlockID.of(bytes), key: chunkKey, length: plaintext.count), bytes: bytes)
    }
}
