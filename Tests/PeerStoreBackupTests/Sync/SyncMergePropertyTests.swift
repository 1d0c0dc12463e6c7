import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Random edits, deletes and syncs in random orders on three devices: the folders always end identical, no version
/// that nobody knowingly replaced is lost, and a further round changes nothing.
@Suite struct SyncMergePropertyTests {
    @Test(arguments: 0..<60)
    func randomHistoriesConverge(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed) &* 0x9E37_79B9 &+ 7)
        var sim = SyncSimulation(count: 3)
        let paths = ["a.txt", "b", "dir/c.md", "dir/sub/d", ".hidden"].map { SyncPath($0) }
        let steps = Int.random(in: 5...40, using: &random)
        for _ in 0..<steps {
            let d = Int.random(in: 0..<3, using: &random)
            let path = paths.randomElement(using: &random)!
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<4: sim.write(device: d, path: path)
            case 4..<5: sim.delete(device: d, path: path)
            default: sim.sync(d)
            }
        }
        for _ in 0..<4 {
            for d in [0, 1, 2].shuffled(using: &random) { sim.sync(d) }
        }
        for d in 1..<3 {
            #expect(sim.devices[d].disk == sim.devices[0].disk, "seed \(seed): device \(d) differs from device 0")
        }
        let kept = sim.written.subtracting(sim.superseded)
        #expect(kept.isSubset(of: sim.contents(0)), "seed \(seed): lost \(kept.subtracting(sim.contents(0)).sorted())")
        for d in 0..<3 {
            let before = sim.devices[d].published
            let again = sim.sync(d)
            #expect(again.plan.isEmpty, "seed \(seed): a further round on device \(d) planned \(again.plan.actions.count) actions")
            #expect(again.state == before, "seed \(seed): a further round on device \(d) changed its state")
        }
    }
}
