import ChordRing
import Foundation
import Logging
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Seeded random histories of one user on two devices sharing content: backups with changes (their blocks leased as
/// a backup's have-blocks will lease them), forgets, prunes from either device, the clock moved and garbage collected.
/// Every retained snapshot of both devices always restores as it was backed up, and at the end, once B and the grace
/// period have passed after a last prune, nothing a retained snapshot does not reference is left leased or stored.
@Suite(.timeLimit(.minutes(2)))
struct PrunePropertyTests {
    static let bound: UInt64 = 60
    static let grace: UInt64 = 120

    struct Device {
        let name: String
        let home: ClientHome
        let src: String
    }

    struct World {
        let tmp: TemporaryDirectory
        let ring = InMemoryRing()
        let identity: Identity
        let devices: [Device]
        /// What each snapshot held: file name to content.
        var expected: [Identifier: [String: Data]] = [:]
        /// Every snapshot index piece a head named (not released by prune: a small leak by design).
        var indexPieces = Set<Identifier>()

        func catalog(_ d: Device) -> SnapshotCatalog { SnapshotCatalog(client: ring, identity: identity, heads: HeadMemory(home: d.home)) }
    }

    static func makeWorld(seed: UInt64) async throws -> World {
        let tmp = try TemporaryDirectory(prefix: "prune-property-\(seed)")
        let first = ClientHome(path: tmp.sub("home-laptop"))
        let identity = try first.ensureInitialised().0
        var devices: [Device] = []
        for name in ["laptop", "desk"] {
            let home = ClientHome(path: tmp.sub("home-\(name)"))
            if !home.exists {
                try FileManager.default.createDirectory(atPath: home.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                try FileManager.default.copyItem(atPath: first.identityPath, toPath: home.identityPath)
            }
            let src = tmp.sub("src-\(name)")
            try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
            devices.append(Device(name: name, home: home, src: src))
        }
        let world = World(tmp: tmp, identity: identity, devices: devices)
        await world.ring.setLeaseBackupBound(bound)
        return world
    }

    /// Changes one to three files of the device's folder (content from a small pool shared by both devices, so
    /// chunks repeat across devices and snapshots; now and then the large file), backs up, leases the snapshot's
    /// blocks, and records what it holds.
    static func backup(_ w: inout World, _ d: Device, random: inout SeededRandom) async throws {
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let path = d.src + "/f\(Int.random(in: 0..<5, using: &random)).txt"
            if Int.random(in: 0..<5, using: &random) == 0 {
                try? FileManager.default.removeItem(atPath: path)
            } else {
                try Data("pooled content \(Int.random(in: 0..<8, using: &random))\n".utf8).write(to: URL(fileURLWithPath: path))
            }
        }
        if Int.random(in: 0..<4, using: &random) == 0 {
            var base = SeededRandom(seed: UInt64.random(in: 0..<3, using: &random))
            var bytes = base.bytes(3 << 20)
            bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= 1
            try Data(bytes).write(to: URL(fileURLWithPath: d.src + "/large.bin"))
        }
        try await store(&w, d)
    }

    /// Backs up the device's folder as it is, registers the device, leases the snapshot's blocks as the uploader will
    /// (have-blocks with a grant at the ring's clock), and records what the snapshot holds; its id.
    @discardableResult
    static func store(_ w: inout World, _ d: Device) async throws -> Identifier {
        let summary = try await BackupRunner(client: w.ring, identity: w.identity, logger: Logger(label: "test"), heads: HeadMemory(home: d.home))
            .run(localPath: d.src, device: d.name, cache: FileCacheStore(home: d.home, device: d.name, keys: w.identity.keys))
        try await DeviceRegistry.recordBackup(ring: w.ring, identity: w.identity, home: d.home, device: d.name)
        let catalog = w.catalog(d)
        let blocks = try await ReplicaCheck(catalog: catalog).blockIDs(snapshotID: summary.snapshotID,
                                                                       snapshot: try await catalog.snapshot(summary.snapshotID))
        _ = try await w.ring.haveBlocks(blocks, leasing: LeaseTerms(keys: w.identity.signing, issuedAt: await w.ring.now))
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: d.src) {
            files[name] = FileManager.default.contents(atPath: d.src + "/" + name)
        }
        w.expected[summary.snapshotID] = files
        w.indexPieces.formUnion(try await catalog.head(device: d.name)?.pointer.index ?? [])
        return summary.snapshotID
    }

    @discardableResult
    static func prune(_ w: inout World, _ d: Device) async throws -> PruneRunner.Outcome {
        let now = await w.ring.now
        let outcome = try await PruneRunner(catalog: w.catalog(d), now: { now }).run()
        #expect(outcome.retainedMissing == 0 && outcome.unreadableForgotten == 0)
        for d in w.devices { w.indexPieces.formUnion(try await w.catalog(d).head(device: d.name)?.pointer.index ?? []) }
        return outcome
    }

    /// Every block the retained snapshots of both devices reference.
    static func retainedBlocks(_ w: World) async throws -> Set<Identifier> {
        var ids = Set<Identifier>()
        for d in w.devices {
            let catalog = w.catalog(d)
            guard let head = try await catalog.head(device: d.name) else { continue }
            for entry in try await catalog.index(of: head.pointer).retained {
                ids.formUnion(try await ReplicaCheck(catalog: catalog).blockIDs(snapshotID: entry.id, snapshot: try await catalog.snapshot(entry.id)))
            }
        }
        return ids
    }

    /// Every retained snapshot of both devices, restored and compared with what it held.
    static func checkRetained(_ w: World, step: Int) async throws {
        for d in w.devices {
            let catalog = w.catalog(d)
            guard let head = try await catalog.head(device: d.name) else { continue }
            for entry in try await catalog.index(of: head.pointer).retained {
                let out = w.tmp.sub("out-\(step)-\(entry.id.shortHex())")
                let summary = try await Restorer(client: w.ring, identity: w.identity, logger: Logger(label: "test"))
                    .restoreAll(try await catalog.snapshot(entry.id), to: out, force: false)
                #expect(summary.failed.isEmpty, "step \(step), \(d.name) \(entry.id.shortHex()): \(summary.failed)")
                var got: [String: Data] = [:]
                for name in try FileManager.default.contentsOfDirectory(atPath: out) { got[name] = FileManager.default.contents(atPath: out + "/" + name) }
                #expect(got == w.expected[entry.id], "step \(step), \(d.name) \(entry.id.shortHex())")
                try FileManager.default.removeItem(atPath: out)
            }
        }
    }

    @Test(arguments: Array(1...12) as [UInt64])
    func retainedSnapshotsAlwaysRestoreAndTheRestIsFreed(seed: UInt64) async throws {
        var w = try await Self.makeWorld(seed: seed)
        defer { w.tmp.remove() }
        var random = SeededRandom(seed: seed)
        for d in w.devices { try await Self.backup(&w, d, random: &random) }
        var (collected, dropped, waited) = (0, 0, 0)
        for step in 0..<40 {
            let d = w.devices[Int.random(in: 0..<2, using: &random)]
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                try await Self.backup(&w, d, random: &random)
            case 5, 6:
                _ = try await ForgetRunner(catalog: w.catalog(d)).run(device: d.name, policy: RetentionPolicy(last: Int.random(in: 1...3, using: &random)),
                                                                     dryRun: false)
                w.indexPieces.formUnion(try await w.catalog(d).head(device: d.name)?.pointer.index ?? [])
            default:
                let outcome = try await Self.prune(&w, d)
                dropped += outcome.droppedSnapshots
                if outcome.stillHeld > 0 { waited += 1 }
            }
            await w.ring.advance(seconds: UInt64.random(in: 0...40, using: &random))
            let deleted = await w.ring.collectGarbage(grace: Self.grace)
            collected += deleted.count
            if !deleted.isEmpty {
                let needed = try await Self.retainedBlocks(w)
                #expect(needed.isDisjoint(with: deleted), "step \(step): a block a retained snapshot references was deleted")
            }
            if step % 10 == 9 { try await Self.checkRetained(w, step: step) }
        }

        // A last forget and prune on each device, past B; after the grace period only what is retained is left.
        await w.ring.advance(seconds: Self.bound + 1)
        for d in w.devices {
            _ = try await ForgetRunner(catalog: w.catalog(d)).run(device: d.name, policy: RetentionPolicy(last: 1), dryRun: false)
            w.indexPieces.formUnion(try await w.catalog(d).head(device: d.name)?.pointer.index ?? [])
        }
        try await Self.prune(&w, w.devices[0])
        await w.ring.advance(seconds: Self.grace + 1)
        collected += await w.ring.collectGarbage(grace: Self.grace).count
        try await Self.checkRetained(w, step: 99)
        var retained = Set<Identifier>()
        for d in w.devices {
            let catalog = w.catalog(d)
            let head = try #require(try await catalog.head(device: d.name))
            #expect(try await catalog.index(of: head.pointer).forgotten.isEmpty, "\(d.name): every forgotten snapshot was released")
            retained.formUnion(try await ReplicaCheck(catalog: catalog).blockIDs(snapshotID: head.pointer.snapshot,
                                                                                 snapshot: try await catalog.snapshot(head.pointer.snapshot)))
        }
        let left = await w.ring.blockIDs.filter { !w.indexPieces.contains($0) && !retained.contains($0) }
        #expect(left.isEmpty, "\(left.count) blocks no retained snapshot references are still stored")
        #expect(collected > 0 && dropped > 0, "collected \(collected), dropped \(dropped), prunes that waited for B \(waited)")
    }
}
