import ChordRing
import PeerStoreCrypto
import PeerStoreModel

/// A chunk as stored on the ring, convergently encrypted.
///
/// chunk key = keyed BLAKE2b-256(convergence key, plaintext); the nonce is derived from the chunk key (one key seals
/// exactly one plaintext), so equal plaintext of one user gives an equal block, while users with different
/// convergence keys never produce equal blocks. Block layout: `version u8 | kind u8 (chunk) | AEAD(body) | tag 16`
/// with body `0 | data` (stored), `1 | rawLength u32 | lz4(data)` or `2 | rawLength u32 | zstd frame` (compressed,
/// only when smaller; which compressor, `ChunkCompression` says). The version says
/// the AEAD: 1 XChaCha20-Poly1305 (libsodium; written by older builds, still read), 2 AES-256-GCM and
/// 3 ChaCha20-Poly1305 (OpenSSL, 12-byte nonce; what this build writes, `ChunkFormat.preferred`).
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

    /// The 12-byte nonce of a version 2 or 3 chunk: the first 12 bytes of a keyed BLAKE2b-128 (its shortest output).
    static func shortNonce(for chunkKey: [UInt8]) -> [UInt8] {
        Array(Blake2b.hash(Array("peerstore.v2.chunk.nonce".utf8), outputLength: 16, key: chunkKey).prefix(AEADAlgorithm.nonceLength))
    }

    public static func seal(_ plaintext: [UInt8], convergenceKey: [UInt8], format: ChunkFormat = .preferred) throws -> Sealed {
        try plaintext.withUnsafeBytes { try seal($0, convergenceKey: convergenceKey, format: format) }
    }

    /// The chunk key of plaintext in a buffer.
    public static func key(for plaintext: UnsafeRawBufferPointer, convergenceKey: [UInt8]) -> [UInt8] {
        Blake2b.hash(plaintext, outputLength: 32, key: convergenceKey)
    }

    /// Seals straight from the reader's buffer: the block is built in one allocation and encrypted in place. LZ4 is
    /// tried only when a sample says the data compresses, and kept only when it saves space.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, convergenceKey: [UInt8], format: ChunkFormat = .preferred) throws -> Sealed {
        try seal(plaintext, chunkKey: key(for: plaintext, convergenceKey: convergenceKey), format: format)
    }

    /// Seals plaintext whose chunk key is already known (`key(for:convergenceKey:)`), as `format` says (by default the
    /// CPU's fastest AEAD).
    public static func seal(_ plaintext: UnsafeRawBufferPointer, chunkKey: [UInt8], format: ChunkFormat = .preferred) throws -> Sealed {
        guard case .aead(let algorithm) = format else {
            return try sealVersion1(plaintext, compressed: ChunkCompression.lz4.compressedIfSmaller(plaintext), chunkKey: chunkKey)
        }
        let compression = ChunkCompression.for(plaintextLength: plaintext.count)
        let compressed = compression.compressedIfSmaller(plaintext)
        let useCompressed = compressed != nil
        let bodyCount = compressed.map { 5 + $0.count } ?? 1 + plaintext.count
        let total = 2 + bodyCount + AEADAlgorithm.tagLength
        let context = try AEADContext(algorithm, key: chunkKey, sealing: true)
        let nonce = shortNonce(for: chunkKey)
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { out, count in
            let raw = UnsafeMutableRawBufferPointer(out)
            raw[0] = algorithm.rawValue
            raw[1] = SealedObject.Kind.chunk.rawValue
            if useCompressed {
                raw[2] = compression.rawValue
                raw.storeBytes(of: UInt32(plaintext.count).bigEndian, toByteOffset: 3, as: UInt32.self)
                compressed!.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: raw[7...]).copyMemory(from: $0) }
            } else {
                raw[2] = 0
                if plaintext.count > 0 { UnsafeMutableRawBufferPointer(rebasing: raw[3...]).copyMemory(from: plaintext) }
            }
            let body = UnsafeMutableRawBufferPointer(rebasing: raw[2..<(2 + bodyCount)])
            nonce.withUnsafeBytes { n in
                context.seal(UnsafeRawBufferPointer(body), into: body, tag: UnsafeMutableRawBufferPointer(rebasing: raw[(2 + bodyCount)...]),
                             nonce: n, associatedData: UnsafeRawBufferPointer(rebasing: raw[0..<2]))
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

    /// Opens a fetched block and checks it is exactly the chunk `ref` names (key and length, and so its id).
    ///
    /// The id is not hashed on the way: the AEAD tag under the chunk key (a secret only the key's owner has) already
    /// proves the bytes are the block that was sealed, and any change to them fails it. Only when the tag fails is the id
    /// hashed, to say whether the node sent other bytes than the block or the block does not belong to this key.
    ///
    /// A small chunk is the exception: its id is hashed too. Its nonce comes from the chunk key alone, so if two builds
    /// compress the same plaintext differently (zstd promises no byte-identical output across library versions), two
    /// blocks share a key and nonce, and a node holding both could forge a third whose tag passes. The id, named by the
    /// user's own tree, binds the bytes; for a small chunk hashing it costs little beside the request.
    public static func open(_ bytes: [UInt8], ref: ChunkRef, maxSize: Int = 8 << 20) throws -> [UInt8] {
        if ref.length < ChunkCompression.zstdBelow, BlockID.of(bytes) != ref.blockID {
            throw BackupError(.corruptBlock, "block \(ref.blockID.shortHex()) failed its hash check (corrupt data from the node)")
        }
        let body: [UInt8]
        do {
            body = try decryptBody(bytes, key: ref.key, name: "chunk \(ref.blockID.shortHex())")
        } catch let error as BackupError {
            throw error
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
        case let tag? where ChunkCompression(rawValue: tag) != nil:
            guard body.count >= 5 else { throw BackupError.badFormat("chunk \(ref.blockID.shortHex())", "truncated compressed body") }
            let raw = body[1..<5].reduce(0) { $0 << 8 | Int($1) }
            guard raw == ref.length, raw <= maxSize,
                  let out = ChunkCompression(rawValue: tag)!.decompress(body[5...], originalSize: raw) else {
                throw BackupError.badFormat("chunk \(ref.blockID.shortHex())", "bad compressed body")
            }
            plaintext = out
        default:
            throw BackupError.badFormat("chunk \(ref.blockID.shortHex())", "unknown body encoding (made by a newer PeerStore?)")
        }
        guard plaintext.count == ref.length else {
            throw BackupError(.corruptBlock, "chunk \(ref.blockID.shortHex()) has the wrong length")
        }
        return plaintext
    }

    /// The (still encoded) body of a chunk block of any version under `key`; throws `BackupError` for an unknown
    /// layout (naming it `name`), `CryptoError` for a failed tag.
    public static func decryptBody(_ bytes: [UInt8], key: [UInt8], name: String) throws -> [UInt8] {
        guard bytes.count >= 2 + AEADAlgorithm.tagLength, bytes[1] == SealedObject.Kind.chunk.rawValue else {
            throw BackupError.badFormat(name, "not a chunk block")
        }
        let header = Array(bytes[0..<2])
        if bytes[0] == 1 {
            return try bytes.withUnsafeBytes {
                try XChaCha20Poly1305.open(UnsafeRawBufferPointer(rebasing: $0[2...]), key: key, nonce: nonce(for: key),
                                           associatedData: header)
            }
        }
        guard let algorithm = AEADAlgorithm(rawValue: bytes[0]) else {
            throw BackupError.badFormat(name, "unknown chunk version \(bytes[0]) (made by a newer PeerStore?)")
        }
        let context = try AEADContext(algorithm, key: key, sealing: false)
        let nonce12 = shortNonce(for: key)
        let bodyCount = bytes.count - 2 - AEADAlgorithm.tagLength
        return try [UInt8](unsafeUninitializedCapacity: max(bodyCount, 1)) { out, count in
            try bytes.withUnsafeBytes { all in
                try nonce12.withUnsafeBytes { n in
                    try header.withUnsafeBytes { ad in
                        try context.open(UnsafeRawBufferPointer(rebasing: all[2..<(2 + bodyCount)]),
                                         into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(out)[0..<bodyCount]),
                                         tag: UnsafeRawBufferPointer(rebasing: all[(2 + bodyCount)...]), nonce: n, associatedData: ad)
                    }
                }
            }
            count = bodyCount
        }
    }
}
