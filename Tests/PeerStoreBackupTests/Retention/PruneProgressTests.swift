import Testing

@testable import PeerStoreBackup

/// The live line of a prune, from one reading of its counters (pure).
@Suite struct PruneProgressTests {
    @Test func walkingShowsBlocksAndFoldersSendingShowsHowFar() {
        var r = PruneProgress.Reading(phase: .walkingRetained, blocks: 12_345, trees: 1, seconds: 4.2)
        #expect(PruneProgress.text(r) == "prune: walking retained snapshots, 12,345 blocks, 1 folder, 0:04")
        r.phase = .renewing
        (r.sent, r.toSend, r.seconds) = (2_048, 12_345, 65)
        #expect(PruneProgress.text(r) == "prune: renewing leases, 2,048 of 12,345 blocks, 1:05")
    }

    @Test func countersMoveWithThePhase() {
        let p = PruneProgress()
        p.addBlocks(3)
        p.treeDone()
        p.enter(.releasing, toSend: 10)
        p.sent(4)
        let r = p.reading
        #expect(r.phase == .releasing && r.blocks == 3 && r.trees == 1 && r.sent == 4 && r.toSend == 10)
    }
}
