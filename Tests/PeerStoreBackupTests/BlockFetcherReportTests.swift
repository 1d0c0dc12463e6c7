import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import Testing

@testable import PeerStoreBackup

/// Each holder whose copy fails the client's check is reported, once, before the next holder is asked; a holder whose
/// copy passes is never reported.
struct BlockFetcherReportTests {
    actor Reports {
        var holders: [Identifier] = []
        func add(_ holder: Identifier) { holders.append(holder) }
    }

    @Test func onlyTheHoldersWhoseCopyFailedAreReported() async throws {
        let plaintext = SecureRandom.bytes(4000)
        let sealed = try ChunkBlock.seal(plaintext, convergenceKey: SecureRandom.bytes(32))
        var tampered = sealed.bytes
        tampered[50] ^= 0x04
        let nodes = BlockFetcherTests.nodes
        let holders = BlockFetcherTests.Holders(copies: [(nodes[0], tampered), (nodes[1], tampered), (nodes[2], sealed.bytes)])
        let reports = Reports()
        let opened = try await BlockFetcher.firstIntact(sealed.ref.blockID, what: "f", maxHolders: 8, from: { holders.source($0) },
                                                        report: { await reports.add($0) }) {
            try ChunkBlock.open($0, ref: sealed.ref)
        }
        #expect(opened == plaintext)
        #expect(await reports.holders == [nodes[0], nodes[1]])

        let intact = BlockFetcherTests.Holders(copies: [(nodes[0], sealed.bytes)])
        let none = Reports()
        _ = try await BlockFetcher.firstIntact(sealed.ref.blockID, what: "f", maxHolders: 8, from: { intact.source($0) },
                                               report: { await none.add($0) }) { try ChunkBlock.open($0, ref: sealed.ref) }
        #expect(await none.holders.isEmpty)
    }
}
