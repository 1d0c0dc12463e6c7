import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// An `InMemoryRing` whose next release first runs `hook`: another device's backup landing after the prune read the
/// heads and before it released (docs/retention.md part 3).
actor ReleaseHookRing: ForwardingRing {
    nonisolated let inner: InMemoryRing
    private var hook: (@Sendable () async throws -> Void)?

    init(_ inner: InMemoryRing) { self.inner = inner }

    func beforeNextRelease(_ hook: @escaping @Sendable () async throws -> Void) { self.hook = hook }

    func release(_ ids: [Identifier], horizon: UInt64, signingWith keys: SigningKeyPair) async throws -> [Bool] {
        if let hook {
            self.hook = nil
            try await hook()
        }
        return try await inner.release(ids, horizon: horizon, signingWith: keys)
    }
}

/// A prune on one device racing a backup on another that found a forgotten-only chunk stored: the backup's renewal
/// keeps the chunk (the release of it is ignored), the prune keeps its forgotten list and does not release the
/// forgotten snapshot's trees (so it stays readable), and the next prune, which sees the new snapshot, keeps the chunk
/// for good and releases the rest.
@Suite(.timeLimit(.minutes(1)))
struct PruneRaceTests {
    actor Box {
        var world: PrunePropertyTests.World
        var snapshot: Identifier?
        init(_ world: PrunePropertyTests.World) { self.world = world }
        func backup(_ d: PrunePropertyTests.Device) async throws {
            var w = world
            snapshot = try await PrunePropertyTests.store(&w, d)
            world = w
        }
    }

    @Test func aBackupThatLandsBetweenTheReadAndTheReleaseLosesNothing() async throws {
        var w = try await PrunePropertyTests.makeWorld(seed: 0)
        defer { w.tmp.remove() }
        let (laptop, desk) = (w.devices[0], w.devices[1])
        let shared = "written on the laptop first, later on the desk too\n"
        try Data(shared.utf8).write(to: URL(fileURLWithPath: laptop.src + "/a.txt"))
        let old = try await PrunePropertyTests.store(&w, laptop)
        try Data("the laptop's newer version\n".utf8).write(to: URL(fileURLWithPath: laptop.src + "/a.txt"))
        try await PrunePropertyTests.store(&w, laptop)
        _ = try await ForgetRunner(catalog: w.catalog(laptop)).run(device: laptop.name, policy: RetentionPolicy(last: 1), dryRun: false)
        await w.ring.advance(seconds: PrunePropertyTests.bound + 1)

        // The desk backs up the same content while the laptop's prune runs: found stored, renewed, committed.
        try Data(shared.utf8).write(to: URL(fileURLWithPath: desk.src + "/copy.txt"))
        let box = Box(w)
        let hooked = ReleaseHookRing(w.ring)
        await hooked.beforeNextRelease { try await box.backup(desk) }
        let now = await w.ring.now
        let first = try await PruneRunner(catalog: SnapshotCatalog(client: hooked, identity: w.identity, heads: HeadMemory(home: laptop.home)),
                                          now: { now }).run()
        w = await box.world
        #expect(await box.snapshot != nil)
        #expect(first.heads == 1, "the desk's head did not exist when the prune read the heads")
        #expect(first.stillHeld == 1 && first.droppedSnapshots == 0, "only the shared chunk: \(first)")

        await w.ring.advance(seconds: PrunePropertyTests.grace + 1)
        let deleted = Set(await w.ring.collectGarbage(grace: PrunePropertyTests.grace))
        #expect(!deleted.contains(old), "a forgotten snapshot whose chunks are still leased stays readable for the next prune")
        try await PrunePropertyTests.checkRetained(w, step: 1)

        // The next prune sees the desk's snapshot: the shared chunk is in R, the rest of the old snapshot goes.
        let second = try await PruneRunner(catalog: w.catalog(laptop), now: { now + PrunePropertyTests.grace + 1 }).run()
        #expect(second.heads == 2 && second.stillHeld == 0 && second.droppedSnapshots == 1)
        await w.ring.advance(seconds: PrunePropertyTests.grace + 1)
        #expect(Set(await w.ring.collectGarbage(grace: PrunePropertyTests.grace)).contains(old), "now it goes")
        #expect(try await w.catalog(laptop).index(of: try #require(try await w.catalog(laptop).head(device: laptop.name)).pointer).forgotten.isEmpty)
        try await PrunePropertyTests.checkRetained(w, step: 2)
    }
}
