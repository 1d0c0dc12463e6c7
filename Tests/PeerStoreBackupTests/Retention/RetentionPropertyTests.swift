import ChordRing
import Foundation
import Logging
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Issue 15's property: over random histories of backups with changes, forgets, prunes with collections past the
/// grace period, and shares, on two devices of one user (and a recipient who keeps what he is sent), every file of
/// every retained snapshot and every kept share restores, and in the end nothing is left on the ring that nothing
/// references (superseded index pieces included: each home releases those it retired).
@Suite(.timeLimit(.minutes(3)))
struct RetentionPropertyTests {
    static let bound: UInt64 = 60
    static let grace: UInt64 = 30
    static let names = (0..<8).map { "file-\($0).bin" }

    /// Two devices of Alice (each its own home and folder) and Bob, on one in-memory ring.
    struct World {
        let tmp: TemporaryDirectory
        let ring = InMemoryRing()
        let alice: Identity
        let bob = Identity.generate()
        let homes: [ClientHome]
        let devices = ["a", "b"]
        let pool: [[UInt8]]
        /// What each snapshot stores: name to bytes.
        var expected: [Identifier: [String: [UInt8]]] = [:]
        /// What each share Bob keeps holds, by share id (hex).
        var shares: [String: [UInt8]] = [:]
        var steps: [String] = []
        /// Blocks the collections deleted, in all.
        var collected = 0

        init(seed: UInt64) throws {
            tmp = try TemporaryDirectory(prefix: "retention-property")
            let first = ClientHome(path: tmp.sub("home-a"))
            alice = try first.ensureInitialised().0
            let second = ClientHome(path: tmp.sub("home-b"))
            try FileManager.default.createDirectory(atPath: second.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.copyItem(atPath: first.identityPath, toPath: second.identityPath)
            homes = [first, second]
            for d in devices { try FileManager.default.createDirectory(atPath: tmp.sub("src-\(d)"), withIntermediateDirectories: true) }
            var random = SeededRandom(seed: seed)
            // Small texts (inline chunks) and 1.5 MiB random files (manifests): shared across files and devices.
            pool = (0..<4).map { Array("text \($0) of the pool\n".utf8) } + (0..<3).map { _ in random.bytes(3 << 19) }
        }

        func src(_ d: Int) -> String { tmp.sub("src-\(devices[d])") }

        func catalog(_ d: Int) -> SnapshotCatalog { SnapshotCatalog(client: ring, identity: alice, heads: HeadMemory(home: homes[d])) }

        mutating func backup(_ d: Int, random: inout SeededRandom) async throws {
            for _ in 0...random.below(3) {
                let path = src(d) + "/" + names[random.below(names.count)]
                if random.below(4) == 0 {
                    try? FileManager.default.removeItem(atPath: path)
                } else {
                    try Data(pool[random.below(pool.count)]).write(to: URL(fileURLWithPath: path))
                }
            }
            let summary = try await BackupRunner(client: ring, identity: alice, logger: Logger(label: "test"), heads: HeadMemory(home: homes[d]))
                .run(localPath: src(d), device: devices[d], cache: FileCacheStore(home: homes[d], device: devices[d], keys: alice.keys))
            _ = try await DeviceRegistry.recordBackup(ring: ring, identity: alice, home: homes[d], device: devices[d])
            var files: [String: [UInt8]] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: src(d)) {
                files[name] = [UInt8](FileManager.default.contents(atPath: src(d) + "/" + name)!)
            }
            expected[summary.snapshotID] = files
        }

        func forget(_ d: Int, keepLast n: Int) async throws {
            guard try await catalog(d).head(device: devices[d]) != nil else { return }
            _ = try await ForgetRunner(catalog: catalog(d)).run(device: devices[d], policy: RetentionPolicy(last: n), dryRun: false)
        }

        /// Alice's prune from device `d`, Bob's, then a collection past the grace period.
        mutating func pruneAndCollect(_ d: Int) async throws {
            let now = await ring.now
            _ = try await PruneRunner(catalog: catalog(d), now: { now }).run()
            _ = try await PruneRunner(catalog: SnapshotCatalog(client: ring, identity: bob), now: { now }).run()
            await ring.advance(seconds: RetentionPropertyTests.grace + 1)
            collected += await ring.collectGarbage(grace: RetentionPropertyTests.grace).count
        }

        /// Shares a file of device `d`'s latest snapshot with Bob, who lists his inbox (and so keeps it).
        mutating func share(_ d: Int, random: inout SeededRandom) async throws {
            guard let head = try await catalog(d).head(device: devices[d]), let files = expected[head.pointer.snapshot], !files.isEmpty
            else { return }
            let name = files.keys.sorted()[random.below(files.count)]
            let outcome = try await FileSharer(ring: ring, identity: alice, home: homes[d], logger: Logger(label: "test"))
                .share(src(d) + "/" + name, device: devices[d], with: bob.signing.publicKey)
            shares[Hex.encode(outcome.grant.shareID)] = files[name]
            let inbox = ShareInbox(ring: ring, identity: bob)
            _ = try await inbox.leaseKept(try await inbox.list().shares)
        }

        /// Every retained snapshot of both devices restores as it was stored, and every share Bob keeps.
        func check(_ label: String) async throws {
            for d in devices.indices {
                guard let head = try await catalog(d).head(device: devices[d]) else { continue }
                for entry in try await catalog(d).index(of: head.pointer).retained {
                    let out = tmp.sub("out-\(UUID().uuidString)")
                    defer { try? FileManager.default.removeItem(atPath: out) }
                    let restorer = Restorer(client: ring, identity: alice, logger: Logger(label: "test"), heads: HeadMemory(home: homes[d]))
                    let summary = try await restorer.restoreAll(try await catalog(d).snapshot(entry.id), to: out, force: false)
                    #expect(summary.failed.isEmpty, "\(label): \(summary.failed)")
                    var got: [String: [UInt8]] = [:]
                    for name in (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [] {
                        got[name] = [UInt8](FileManager.default.contents(atPath: out + "/" + name)!)
                    }
                    #expect(got == expected[entry.id], "\(label): snapshot \(entry.id.shortHex()) of \(devices[d]) after \(steps)")
                }
            }
            for share in try await ShareInbox(ring: ring, identity: bob).list().shares {
                let r = SharedFileRestore(ring: ring, identity: bob, logger: Logger(label: "test"))
                let out = tmp.sub("share-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(atPath: out) }
                _ = try await r.restore(share.grant, to: out, force: false)
                #expect(FileManager.default.contents(atPath: out).map { [UInt8]($0) } == shares[Hex.encode(share.grant.shareID)],
                        "\(label): share \(share.grant.shownName) after \(steps)")
            }
        }

        /// Every block anything retained or kept references: snapshots, the heads' index pieces, kept shares.
        func referenced() async throws -> Set<Identifier> {
            var ids = Set<Identifier>()
            for d in devices.indices {
                guard let head = try await catalog(d).head(device: devices[d]) else { continue }
                ids.formUnion(head.pointer.index ?? [])
                for entry in try await catalog(d).index(of: head.pointer).retained {
                    ids.formUnion(try await ReplicaCheck(catalog: catalog(d)).blockIDs(snapshotID: entry.id, snapshot: try await catalog(d).snapshot(entry.id)))
                }
            }
            var walk = ReferenceWalk(catalog: SnapshotCatalog(client: ring, identity: bob))
            for share in try await ShareInbox(ring: ring, identity: bob).list().shares {
                try await walk.walkContent(share.grant.content, what: "share")
            }
            ids.formUnion(walk.ids)
            return ids
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func randomHistoriesKeepWhatIsRetainedAndFreeTheRest(seed: UInt64) async throws {
        var world = try World(seed: seed)
        defer { world.tmp.remove() }
        await world.ring.setLeaseBackupBound(Self.bound)
        var random = SeededRandom(seed: seed * 7919)
        for step in 0..<32 {
            let d = random.below(2)
            switch random.below(10) {
            case 0..<4:
                world.steps.append("backup \(world.devices[d])")
                try await world.backup(d, random: &random)
            case 4, 5:
                let n = 1 + random.below(3)
                world.steps.append("forget \(world.devices[d]) -keep-last \(n)")
                try await world.forget(d, keepLast: n)
            case 6, 7:
                world.steps.append("prune from \(world.devices[d]) + collect")
                try await world.pruneAndCollect(d)
                try await world.check("step \(step)")
            case 8:
                world.steps.append("share from \(world.devices[d])")
                try await world.share(d, random: &random)
            default:
                let seconds = UInt64(1 + random.below(Int(2 * Self.bound)))
                world.steps.append("wait \(seconds) s")
                await world.ring.advance(seconds: seconds)
            }
        }
        // Settle: past B, prune (releases everything forgotten), past the grace period, collect; twice, since a
        // prune within B of a backup keeps what that backup renewed.
        for round in 0..<4 {
            await world.ring.advance(seconds: Self.bound + 1)
            try await world.pruneAndCollect(round % 2)
        }
        try await world.check("settled")
        #expect(world.collected > 0, "the history freed something: \(world.steps)")
        let unreferenced = Set(await world.ring.blockIDs).subtracting(try await world.referenced())
        var kinds: [UInt8] = []
        for id in unreferenced { kinds.append(await world.ring.bytes(of: id).map { $0.count > 1 ? $0[1] : 0 } ?? 0) }
        #expect(unreferenced.isEmpty, "blocks nothing references stay, of kinds \(kinds.sorted()), after \(world.steps)")
        for d in world.devices.indices {
            if let head = try await world.catalog(d).head(device: world.devices[d]) {
                #expect(try await world.catalog(d).index(of: head.pointer).forgotten.isEmpty, "every forgotten snapshot released")
            }
        }
    }
}

extension SeededRandom {
    /// A number in 0..<n.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
}
