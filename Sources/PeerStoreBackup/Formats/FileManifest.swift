import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel

/// A file's chunk list and size, sealed under the file's own session key: what `share` will hand to another user.
///
/// The session key is keyed BLAKE2b(user's manifest key, manifest plaintext): an unchanged file yields the same
/// manifest block, and the key opens this manifest and nothing else. Plaintext (version 1):
/// `size u64 | count u32 | count x ChunkRef`.
public struct FileManifest: Equatable, Sendable {
    public static let maxChunks = 1 << 24

    public var size: UInt64
    public var chunks: [ChunkRef]

    public init(size: UInt64, chunks: [ChunkRef]) {
        self.size = size
        self.chunks = chunks
    }

    public func encoded() -> [UInt8] {
        var out = ByteBuffer()
        out.reserveCapacity(12 + chunks.count * ChunkRef.encodedSize)
        out.writeInteger(size)
        out.writeInteger(UInt32(chunks.count))
        for c in chunks { c.encode(into: &out) }
        return Array(out.readableBytesView)
    }

    public static func decode(_ bytes: [UInt8]) throws -> FileManifest {
        var p = ByteBuffer(bytes: bytes)
        guard let size = p.readInteger(as: UInt64.self), let count = p.readInteger(as: UInt32.self), Int(count) <= maxChunks,
            p.readableBytes == Int(count) * ChunkRef.encodedSize
        else { throw BackupError.badFormat("file manifest", "bad header") }
        var chunks = [ChunkRef]()
        chunks.reserveCapacity(Int(count))
        var total: UInt64 = 0
        for _ in 0..<count {
            let c = try ChunkRef.decode(from: &p, maxLength: 8 << 20)
            total += UInt64(c.length)
            chunks.append(c)
        }
        guard total == size else { throw BackupError.badFormat("file manifest", "chunk lengths do not add up to the size") }
        return FileManifest(size: size, chunks: chunks)
    }

    /// Seals the manifest; returns the block, its id and the session key.
    public func seal(keys: KeyRing) throws -> (id: Identifier, sessionKey: [UInt8], bytes: [UInt8]) {
        let plain = encoded()
        let sessionKey = Blake2b.hash(plain, outputLength: 32, key: keys.manifestBase)
        let nonce = Blake2b.hash(Array("peerstore.v1.manifest.nonce".utf8), outputLength: XChaCha20Poly1305.nonceLength, key: sessionKey)
        let bytes = try SealedObject.seal(plain, kind: .manifest, key: sessionKey, nonce: nonce)
        return (BlockID.of(bytes), sessionKey, bytes)
    }

    public static func open(_ bytes: [UInt8], sessionKey: [UInt8]) throws -> FileManifest {
        try decode(try SealedObject.open(bytes, kind: .manifest, key: sessionKey, what: "file manifest"))
    }
}
