import ChordRing
import Foundation
import Logging
import PeerStoreBackup
import PeerStoreModel
import PeerStoreTestKit
import Testing

/// Leases ride on the traffic backups, sync rounds and recipients already make (docs/retention.md part 2): every
/// block they name is leased under the user's key, and a no-change backup renews every block of its snapshot.
@Suite struct RenewalInMemoryTests {
    /// Whether every id is leased, with its one lease renewed at `at` or later.
    static func allLeased(_ ring: InMemoryRing, _ ids: [Identifier], renewedSince at: UInt64 = 0) async -> Bool {
        for id in ids {
            guard await ring.isLeased(id), let leases = await ring.leases(of: id),
                leases.leases.contains(where: { $0.renewedAt >= at }) else { return false }
        }
        return true
    }

    /// Every block of the device's latest snapshot and its index pieces.
    static func referenced(_ client: InMemoryClient) async throws -> [Identifier] {
        let catalog = client.catalog()
        let head = try #require(try await catalog.head(device: client.device))
        let snapshot = try await catalog.snapshot(head.pointer.snapshot)
        let ids = try await ReplicaCheck(catalog: catalog).blockIDs(snapshotID: head.pointer.snapshot, snapshot: snapshot)
        return ids + (head.pointer.index ?? [])
    }

    @Test func aBackupLeasesEveryBlockItStoresOrFinds() async throws {
        let client = try InMemoryClient(prefix: "renew-first")
        defer { client.tmp.remove() }
        try TreeGenerator(settings: smallCorpus()).generate(into: client.src)
        _ = try await client.backup()
        let ids = try await Self.referenced(client)
        #expect(ids.count > 10)
        #expect(await Self.allLeased(client.ring, ids))
        // Nothing on the ring but what the snapshot and its history name, and all of it leased.
        #expect(Set(await client.ring.blockIDs) == Set(ids))
    }

    @Test func aNoChangeBackupRenewsEveryBlockOfItsSnapshot() async throws {
        let client = try InMemoryClient(prefix: "renew-again")
        defer { client.tmp.remove() }
        try TreeGenerator(settings: smallCorpus()).generate(into: client.src)
        _ = try await client.backup()
        await client.ring.advance(seconds: 3600)
        let later = await client.ring.now
        let again = try await client.backup()
        #expect(again.filesRead == 0, "the file cache was used")
        // The big files' chunks too: the file cache lists a manifest's chunks, so none is fetched to renew them.
        #expect(await Self.allLeased(client.ring, try await Self.referenced(client), renewedSince: later))
    }

    @Test func aChangedFileLeasesTheChunksItReuses() async throws {
        let client = try InMemoryClient(prefix: "renew-changed")
        defer { client.tmp.remove() }
        try FileManager.default.createDirectory(atPath: client.src, withIntermediateDirectories: true)
        var random = SeededRandom(seed: 11)
        var big = random.bytes(6 << 20)
        try Data(big).write(to: URL(fileURLWithPath: client.src + "/big.bin"))
        _ = try await client.backup()
        await client.ring.advance(seconds: 3600)
        let later = await client.ring.now
        big.append(contentsOf: random.bytes(1000))
        try Data(big).write(to: URL(fileURLWithPath: client.src + "/big.bin"))
        let second = try await client.backup()
        #expect(second.chunksReused > 0)
        #expect(await Self.allLeased(client.ring, try await Self.referenced(client), renewedSince: later))
    }

    @Test func aSyncRoundLeasesItsStateAndSnapshot() async throws {
        let devices = try SyncDevices(prefix: "renew-sync")
        defer { devices.tmp.remove() }
        try devices.write("a", "notes/one.txt", "one\n")
        try await devices.sync("a")
        try await devices.sync("b")
        let ids = await devices.ring.blockIDs
        #expect(!ids.isEmpty)
        #expect(await Self.allLeased(devices.ring, ids))
    }
}

extension RenewalInMemoryTests {
    /// An `InMemoryRing` whose clock moves 100 s at every block read: reads come only after the upload (the walk of a
    /// long backup's renewal), so a lease renewed then is told apart from the upload's.
    actor ClockOnReads: ForwardingRing {
        nonisolated let inner: InMemoryRing
        init(_ inner: InMemoryRing) { self.inner = inner }
        func getBlock(id: Identifier, excluding: Set<Identifier>) async throws -> (bytes: [UInt8], from: Identifier)? {
            await inner.advance(seconds: 100)
            return try await inner.getBlock(id: id, excluding: excluding)
        }
    }

    @Test func aLongBackupLeasesItsSnapshotAgainBeforeItCommits() async throws {
        let client = try InMemoryClient(prefix: "renew-long")
        defer { client.tmp.remove() }
        try TreeGenerator(settings: smallCorpus()).generate(into: client.src)
        let start = await client.ring.now
        let ring = ClockOnReads(client.ring)
        let quick = try await BackupRunner(client: ring, identity: client.identity, logger: Logger(label: "test")).run(
            localPath: client.src, device: "quick")
        #expect(quick.leasesRenewed == 0)
        // "Longer than B/2" from the first byte: every block is leased again after the upload, so at a later time.
        let long = try await BackupRunner(client: ring, identity: client.identity, logger: Logger(label: "test"), renewLeasesAfter: 0).run(
            localPath: client.src, device: "long")
        #expect(long.leasesRenewed > 10)
        let catalog = SnapshotCatalog(client: client.ring, identity: client.identity, heads: nil)
        let snapshot = try await catalog.snapshot(long.snapshotID)
        let ids = try await ReplicaCheck(catalog: catalog).blockIDs(snapshotID: long.snapshotID, snapshot: snapshot)
        #expect(ids.count == long.leasesRenewed)
        let uploadDone = start + 100  // at least one read happened before the renewal's own reads
        #expect(await Self.allLeased(client.ring, ids, renewedSince: uploadDone))
    }
}

extension RenewalInMemoryTests {
    /// An `InMemoryRing` that, at the first block read (the long backup's renewal walk, after its upload), takes one
    /// block away: as if a prune released it while the backup ran and the nodes deleted it after the grace period.
    actor DeleteAtFirstRead: ForwardingRing {
        nonisolated let inner: InMemoryRing
        private var victim: Identifier?
        init(_ inner: InMemoryRing, victim: Identifier) {
            self.inner = inner
            self.victim = victim
        }
        func getBlock(id: Identifier, excluding: Set<Identifier>) async throws -> (bytes: [UInt8], from: Identifier)? {
            if let v = victim {
                victim = nil
                await inner.hide(v)
            }
            return try await inner.getBlock(id: id, excluding: excluding)
        }
    }

    @Test func aLongBackupWhoseFoundBlockWasDeletedMeanwhileStoresNothing() async throws {
        let client = try InMemoryClient(prefix: "renew-long-gone")
        defer { client.tmp.remove() }
        try FileManager.default.createDirectory(atPath: client.src, withIntermediateDirectories: true)
        var random = SeededRandom(seed: 17)
        try Data(random.bytes(3 << 20)).write(to: URL(fileURLWithPath: client.src + "/big.bin"))
        let first = try await BackupRunner(client: client.ring, identity: client.identity, logger: Logger(label: "test")).run(
            localPath: client.src, device: "first")
        let catalog = SnapshotCatalog(client: client.ring, identity: client.identity, heads: nil)
        let firstBlocks = try await ReplicaCheck(catalog: catalog).blockIDs(
            snapshotID: first.snapshotID, snapshot: try await catalog.snapshot(first.snapshotID))
        var chunk: Identifier?
        for id in firstBlocks where await client.ring.bytes(of: id)?[1] == SealedObject.Kind.chunk.rawValue { chunk = id }
        let ring = DeleteAtFirstRead(client.ring, victim: try #require(chunk))
        await #expect { _ = try await BackupRunner(client: ring, identity: client.identity, logger: Logger(label: "test"), renewLeasesAfter: 0)
            .run(localPath: client.src, device: "long") } throws: { error in
            (error as? BackupError)?.code == .missingBlock && (error as? BackupError)?.message.contains("run the backup again") == true
        }
        #expect(try await catalog.head(device: "long") == nil, "no snapshot names the deleted block")
    }
}
