import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreWire
import Testing

@testable import PeerStoreBackup

/// A copy that fails its check costs only that copy: the other holders are asked before the block counts as lost.
struct BlockFetcherTests {
    /// Holders in ring order, each with the bytes it serves; a holder in `excluding` is not asked, as `RingClient` does.
    struct Holders {
        var copies: [(node: Identifier, bytes: [UInt8])]
        func source(_ excluding: Set<Identifier>) -> (bytes: [UInt8], from: Identifier)? {
            copies.first { !excluding.contains($0.node) }.map { ($0.bytes, $0.node) }
        }
    }

    static let nodes = (1...3).map { Identifier(words: (UInt64($0), 0, 0, 0)) }

    @Test func aChunkThatFailsItsTagOnOneHolderIsReadFromTheNext() async throws {
        let plaintext = SecureRandom.bytes(5000)
        let sealed = try ChunkBlock.seal(plaintext, convergenceKey: SecureRandom.bytes(32))
        var tampered = sealed.bytes
        tampered[100] ^= 0x01
        let holders = Holders(copies: [(Self.nodes[0], tampered), (Self.nodes[1], sealed.bytes)])
        let opened = try await BlockFetcher.firstIntact(sealed.ref.blockID, what: "f", maxHolders: 8, from: { holders.source($0) }) {
            try ChunkBlock.open($0, ref: sealed.ref)
        }
        #expect(opened == plaintext)
    }

    @Test func aBlockDamagedOnEveryHolderIsCorruptAndAMissingOneIsMissing() async throws {
        let good = SecureRandom.bytes(300)
        let id = BlockID.of(good)
        var bad = good
        bad[0] ^= 0xff
        let check: ([UInt8]) throws -> [UInt8] = { bytes in
            guard BlockID.of(bytes) == id else { throw BackupError(.corruptBlock, "failed its hash check") }
            return bytes
        }
        let allBad = Holders(copies: Self.nodes.map { ($0, bad) })
        await #expect(throws: BackupError(.corruptBlock, "failed its hash check")) {
            try await BlockFetcher.firstIntact(id, what: "f", maxHolders: 8, from: { allBad.source($0) }, check)
        }
        let none = Holders(copies: [])
        let missing = await #expect(throws: BackupError.self) {
            try await BlockFetcher.firstIntact(id, what: "f", maxHolders: 8, from: { none.source($0) }, check)
        }
        #expect(missing?.code == .missingBlock)
        // The last holder with a copy says its copy is damaged (a node's own hash check): corrupt, named as such.
        let answered = await #expect(throws: BackupError.self) {
            try await BlockFetcher.firstIntact(id, what: "f", maxHolders: 8, from: { _ in
                throw WireError(.corruptBlock, "stored block is corrupt on disk and was dropped")
            }, check)
        }
        #expect(answered?.code == .corruptBlock && answered?.message.contains("corrupt on disk") == true)
    }
}
