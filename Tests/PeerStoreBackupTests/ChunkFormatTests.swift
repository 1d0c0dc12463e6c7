import ChordRing
import Foundation
import Logging
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Chunk blocks of versions 4 and 5 (a nonce bound to the body), and versions 1 to 3 of older builds still read.
@Suite("Chunk formats")
struct ChunkFormatTests {
    let keys = KeyRing(masterKey: [UInt8](repeating: 42, count: 32))
    static let formats: [ChunkFormat] = [.version1, .keyNonce(.aes256GCM), .keyNonce(.chaCha20Poly1305), .bodyNonce(.chaCha20Poly1305),
                                         .bodyNonce(.aes256GCM)]

    /// Every format opens, whatever the CPU prefers, for stored and compressed bodies; the version byte says which.
    @Test(arguments: formats)
    func everyFormatRoundTrips(format: ChunkFormat) throws {
        var rng = SeededRandom(seed: 11)
        for plaintext in [[], rng.bytes(1), rng.bytes(300_000), [UInt8](String(repeating: "log line 42\n", count: 30_000).utf8)] {
            let sealed = try ChunkBlock.seal(plaintext, convergenceKey: keys.convergence, format: format)
            #expect(sealed.bytes[0] == format.version && sealed.bytes[1] == SealedObject.Kind.chunk.rawValue)
            #expect(try ChunkBlock.open(sealed.bytes, ref: sealed.ref) == plaintext)
            #expect(sealed.ref.blockID == BlockID.of(sealed.bytes))
        }
    }

    /// The version 2 layout from its definition: `2 | 1 | AES-256-GCM(body) | tag`, key the chunk key, nonce the first
    /// 12 bytes of the keyed BLAKE2b-128 of "peerstore.v2.chunk.nonce", the two header bytes authenticated; its id is
    /// SHA-256.
    @Test func versionTwoBytesFollowTheLayout() throws {
        let plaintext = Array("a chunk of a file".utf8)
        let sealed = try ChunkBlock.seal(plaintext, convergenceKey: keys.convergence, format: .keyNonce(.aes256GCM))
        let key = ChunkBlock.key(for: plaintext, convergenceKey: keys.convergence)
        let nonce = Array(Blake2b.hash(Array("peerstore.v2.chunk.nonce".utf8), outputLength: 16, key: key).prefix(12))
        let body: [UInt8] = [0] + plaintext
        var ciphertext = [UInt8](repeating: 0, count: body.count)
        var tag = [UInt8](repeating: 0, count: 16)
        let header: [UInt8] = [2, 1]
        let context = try AEADContext(.aes256GCM, key: key, sealing: true)
        body.withUnsafeBytes { b in ciphertext.withUnsafeMutableBytes { c in tag.withUnsafeMutableBytes { t in
            nonce.withUnsafeBytes { n in header.withUnsafeBytes { h in context.seal(b, into: c, tag: t, nonce: n, associatedData: h) } }
        } } }
        #expect(sealed.bytes == header + ciphertext + tag)
        #expect(sealed.ref.blockID == Identifier(bytes: SHA256Hash.hash(sealed.bytes))!)
        #expect(sealed.ref.blockID != Identifier(bytes: Blake2b.hash(sealed.bytes, outputLength: 32))!)
    }

    @Test(arguments: [ChunkFormat.keyNonce(.aes256GCM), .keyNonce(.chaCha20Poly1305), .bodyNonce(.chaCha20Poly1305), .bodyNonce(.aes256GCM)])
    func anyAlterationIsRefused(format: ChunkFormat) throws {
        let sealed = try ChunkBlock.seal(Array("hello, chunk".utf8), convergenceKey: keys.convergence, format: format)
        for i in sealed.bytes.indices {
            var bad = sealed.bytes
            bad[i] ^= 0x10
            #expect(throws: BackupError.self) { try ChunkBlock.open(bad, ref: sealed.ref) }
        }
    }

    @Test func anUnknownVersionSaysSo() throws {
        var bytes = try ChunkBlock.seal(Array("x".utf8), convergenceKey: keys.convergence).bytes
        bytes[0] = 9
        let ref = ChunkRef(blockID: BlockID.of(bytes), key: [UInt8](repeating: 0, count: 32), length: 1)
        let error = #expect(throws: BackupError.self) { try ChunkBlock.open(bytes, ref: ref) }
        #expect(error?.message.contains("unknown chunk version 9") == true)
    }

    /// A tree backed up by a build that wrote version 1 or 3 chunks restores with this one, and a later backup of the
    /// changed tree (version 4 chunks for what it reads again) restores too, beside the old snapshot.
    @Test(arguments: [ChunkFormat.version1, .keyNonce(.chaCha20Poly1305)])
    func aTreeBackedUpWithEarlierChunksStillRestores(earlier: ChunkFormat) async throws {
        let client = try InMemoryClient(prefix: "chunk-v\(earlier.version)")
        defer { client.tmp.remove() }
        var rng = SeededRandom(seed: 12)
        try FileManager.default.createDirectory(atPath: client.src + "/d", withIntermediateDirectories: true)
        for (name, size) in [("small", 100), ("mid", 300_000), ("d/big", 9 << 20)] {
            try Data(rng.bytes(size)).write(to: URL(fileURLWithPath: client.src + "/" + name))
        }
        try Data(String(repeating: "text\n", count: 100_000).utf8).write(to: URL(fileURLWithPath: client.src + "/log"))
        let old = BackupRunner(client: client.ring, identity: client.identity, logger: Logger(label: "test"), chunkFormat: earlier)
        _ = try await old.run(localPath: client.src, device: client.device)
        #expect(await Self.chunkVersions(client.ring) == [earlier.version])

        let first = client.tmp.sub("first")
        _ = try await client.restore(to: first)
        #expect(TreeComparison.differences(client.src, first).isEmpty)

        try Data(rng.bytes(200_000)).write(to: URL(fileURLWithPath: client.src + "/mid"))
        _ = try await client.backup(reuseCache: false)
        #expect(await Self.chunkVersions(client.ring) == [earlier.version, ChunkFormat.preferred.version])
        let second = client.tmp.sub("second")
        _ = try await client.restore(to: second)
        #expect(TreeComparison.differences(client.src, second).isEmpty)
    }

    /// The versions of the chunk blocks on the ring (trees, manifests and the rest are sealed objects of version 1).
    static func chunkVersions(_ ring: InMemoryRing) async -> Set<UInt8> {
        Set(await ring.allBlocks().filter { $0.count > 2 && $0[1] == SealedObject.Kind.chunk.rawValue }.map { $0[0] })
    }
}
