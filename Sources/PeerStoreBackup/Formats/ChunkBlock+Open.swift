import ChordRing
import PeerStoreCrypto
import PeerStoreModel

extension ChunkBlock {
    /// Opens a fetched block and checks it is exactly the chunk `ref` names (key and length, and so its id).
    ///
    /// A block of version 4 or 5 is not hashed on the way: the AEAD tag under the chunk key (a secret only the key's
    /// owner has) proves the bytes are a block that was sealed under it, its nonce binds its body, and any change to
    /// them fails the tag. Only when the tag fails is the id hashed, to say whether the node sent other bytes than the
    /// block or the block does not belong to this key.
    ///
    /// A block of versions 1 to 3 is checked by its id as well: its nonce comes from the chunk key alone, so two
    /// encodings of one plaintext (two compressor versions, or LZ4 then zstd for a small chunk) share key and nonce,
    /// and a node holding both could forge a third whose tag passes. The id, named by the user's own tree, binds the
    /// bytes.
    public static func open(_ bytes: [UInt8], ref: ChunkRef, maxSize: Int = 8 << 20) throws -> [UInt8] {
        if let first = bytes.first, let format = ChunkFormat(version: first), !format.nonceBindsBody, BlockID.of(bytes) != ref.blockID {
            throw BackupError(.corruptBlock, "block \(ref.blockID.shortHex()) failed its hash check (corrupt data from the node)")
        }
        let format: ChunkFormat
        let body: [UInt8]
        do {
            (format, body) = try decrypt(bytes, key: ref.key, name: "chunk \(ref.blockID.shortHex())")
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
            let raw: Int
            let frame: ArraySlice<UInt8>
            if format.bodyHasLength {
                guard body.count >= 5 else { throw BackupError.badFormat("chunk \(ref.blockID.shortHex())", "truncated compressed body") }
                raw = body[1..<5].reduce(0) { $0 << 8 | Int($1) }
                frame = body[5...]
            } else {
                raw = ref.length
                frame = body[1...]
            }
            guard raw == ref.length, raw <= maxSize,
                  let out = ChunkCompression(rawValue: tag)!.decompress(frame, originalSize: raw) else {
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
        try decrypt(bytes, key: key, name: name).body
    }

    static func decrypt(_ bytes: [UInt8], key: [UInt8], name: String) throws -> (format: ChunkFormat, body: [UInt8]) {
        guard bytes.count >= 2 + AEADAlgorithm.tagLength, bytes[1] == SealedObject.Kind.chunk.rawValue else {
            throw BackupError.badFormat(name, "not a chunk block")
        }
        guard let format = ChunkFormat(version: bytes[0]) else {
            throw BackupError.badFormat(name, "unknown chunk version \(bytes[0]) (made by a newer PeerStore?)")
        }
        let algorithm: AEADAlgorithm
        switch format {
        case .version1:
            let header = Array(bytes[0..<2])
            let body = try bytes.withUnsafeBytes {
                try XChaCha20Poly1305.open(UnsafeRawBufferPointer(rebasing: $0[2...]), key: key, nonce: ChunkBlock.nonce(for: key),
                                           associatedData: header)
            }
            return (format, body)
        case .keyNonce(let a), .bodyNonce(let a):
            algorithm = a
        }
        let header = format.headerCount
        guard bytes.count >= header + AEADAlgorithm.tagLength else { throw BackupError.badFormat(name, "truncated chunk block") }
        let context = try AEADContext(algorithm, key: key, sealing: false)
        let nonce = format.nonceBindsBody
            ? bytes.withUnsafeBytes { aeadNonce(bound: UnsafeRawBufferPointer(rebasing: $0[2..<header])) }
            : shortNonce(for: key)
        let bodyCount = bytes.count - header - AEADAlgorithm.tagLength
        let body = try [UInt8](unsafeUninitializedCapacity: max(bodyCount, 1)) { out, count in
            try bytes.withUnsafeBytes { all in
                try nonce.withUnsafeBytes { n in
                    try context.open(UnsafeRawBufferPointer(rebasing: all[header..<(header + bodyCount)]),
                                     into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(out)[0..<bodyCount]),
                                     tag: UnsafeRawBufferPointer(rebasing: all[(header + bodyCount)...]), nonce: n,
                                     associatedData: UnsafeRawBufferPointer(rebasing: all[0..<header]))
                }
            }
            count = bodyCount
        }
        return (format, body)
    }
}
