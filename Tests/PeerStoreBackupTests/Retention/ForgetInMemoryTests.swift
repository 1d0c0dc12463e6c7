import ChordRing
import Foundation
import Logging
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Snapshot history and forget in-process against `InMemoryRing`: the index a backup appends to, forget's
/// keep-last, old (version 1) heads, and the races of a forget and a backup of the same device.
@Suite struct ForgetInMemoryTests {
    /// Holds what a hook produced.
    actor Holder {
        var id: Identifier?
        func set(_ id: Identifier) { self.id = id }
    }

    /// A client whose source folder gets file `n.txt` before its n-th backup; returns the snapshot ids, oldest first.
    static func backups(_ c: InMemoryClient, _ range: Range<Int>) async throws -> [Identifier] {
        try FileManager.default.createDirectory(atPath: c.src, withIntermediateDirectories: true)
        var ids: [Identifier] = []
        for n in range {
            try Data("version \(n)\n".utf8).write(to: URL(fileURLWithPath: c.src + "/\(n).txt"))
            ids.append(try await c.backup().snapshotID)
        }
        return ids
    }

    static func forget(_ c: InMemoryClient, _ policy: RetentionPolicy, on ring: (any RingAccess)? = nil) async throws -> ForgetRunner.Outcome {
        let catalog = SnapshotCatalog(client: ring ?? c.ring, identity: c.identity, heads: HeadMemory(home: c.home))
        return try await ForgetRunner(catalog: catalog).run(device: c.device, policy: policy, dryRun: false)
    }

    @Test func fiveBackupsForgetKeepLast2() async throws {
        let c = try InMemoryClient(prefix: "forget-five")
        defer { c.tmp.remove() }
        let ids = try await Self.backups(c, 0..<5)
        let catalog = c.catalog()
        #expect(try await catalog.history(device: c.device).map(\.id) == ids.reversed())

        let dry = try await ForgetRunner(catalog: catalog).plan(device: c.device, policy: RetentionPolicy(last: 2))
        #expect(!dry.written && dry.removed.count == 3)
        #expect(try await catalog.history(device: c.device).count == 5, "a dry run changes nothing")

        let outcome = try await Self.forget(c, RetentionPolicy(last: 2))
        #expect(outcome.written)
        #expect(outcome.kept.map(\.entry.id) == [ids[4], ids[3]] && outcome.kept.allSatisfy { $0.reasons == ["last snapshot"] })
        #expect(outcome.removed.map(\.entry.id) == [ids[2], ids[1], ids[0]])
        #expect(try await catalog.history(device: c.device).map(\.id) == [ids[4], ids[3]])
        let head = try #require(try await catalog.head(device: c.device))
        #expect(head.pointer.snapshot == ids[4])
        let index = try await catalog.index(of: head.pointer)
        #expect(Set(index.forgotten.map(\.id)) == Set(ids[0..<3]) && index.retained.count == 2)

        // The older kept snapshot restores as it was; a forgotten one is no longer found.
        let older = try await catalog.chosen(device: c.device, prefix: String(ids[3].hex.prefix(10)))
        #expect(older.id == ids[3])
        let out = c.tmp.sub("out")
        let restored = try await c.restorer().restoreAll(older.snapshot, to: out, force: false)
        #expect(restored.failed.isEmpty && restored.files == 4, "\(restored.failed)")
        #expect(FileManager.default.contents(atPath: out + "/3.txt") == Data("version 3\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: out + "/4.txt"))
        let gone = await #expect(throws: BackupError.self) { _ = try await catalog.chosen(device: c.device, prefix: ids[0].hex) }
        #expect(gone?.code == .noSnapshot)

        // Forgetting again changes nothing; the next backup appends and keeps the forgotten list.
        #expect(!(try await Self.forget(c, RetentionPolicy(last: 2))).written)
        let sixth = try await Self.backups(c, 5..<6)[0]
        #expect(try await catalog.history(device: c.device).map(\.id) == [sixth, ids[4], ids[3]])
        let after = try await catalog.index(of: try #require(try await catalog.head(device: c.device)).pointer)
        #expect(after.forgotten.map(\.id) == index.forgotten.map(\.id))
    }

    /// A head as builds before the index wrote it (`snapshot | time`, no version byte) still reads through the
    /// parent chain; the next backup writes a version 2 head whose index holds the whole chain.
    @Test func aVersion1HeadStillReads() async throws {
        let c = try InMemoryClient(prefix: "forget-v1")
        defer { c.tmp.remove() }
        let ids = try await Self.backups(c, 0..<3)
        let catalog = c.catalog()
        let current = try #require(try await catalog.head(device: c.device))
        let plain = ids[2].bytes + withUnsafeBytes(of: current.pointer.time.bigEndian) { Array($0) }
        let value = try SealedObject.seal(plain, kind: .head, key: c.identity.keys.headValue, nonce: SecureRandom.bytes(24))
        let v1 = try SignedRecord(signing: value, salt: HeadPointer.salt(device: c.device, keys: c.identity.keys),
                                  seq: current.record.seq + 1, with: c.identity.signing)
        try await c.ring.putRecord(v1, expectedSeq: current.record.seq)

        let old = try #require(try await catalog.head(device: c.device))
        #expect(old.pointer.index == nil && old.pointer.snapshot == ids[2])
        #expect(try await catalog.history(device: c.device).map(\.id) == ids.reversed())
        #expect(try await catalog.chosen(device: c.device, prefix: ids[0].hex).id == ids[0])
        #expect(try await catalog.latest(device: c.device).id == ids[2])

        let fourth = try await Self.backups(c, 3..<4)[0]
        let new = try #require(try await catalog.head(device: c.device))
        #expect(new.pointer.index?.count == 1)
        #expect(try await catalog.history(device: c.device).map(\.id) == [fourth] + ids.reversed())
        #expect(try await Self.forget(c, RetentionPolicy(last: 1)).removed.map(\.entry.id) == ids.reversed())
    }

    /// A backup of the same device lands while forget is publishing: forget applies the policy again to the index
    /// with the new snapshot in it, which stays.
    @Test func aForgetRacingABackupKeepsTheNewSnapshot() async throws {
        let c = try InMemoryClient(prefix: "forget-race")
        defer { c.tmp.remove() }
        let ids = try await Self.backups(c, 0..<3)
        let hooked = HookedRing(c.ring)
        let holder = Holder()
        await hooked.beforeNextRecordPut { await holder.set(try await Self.backups(c, 3..<4)[0]) }
        let outcome = try await Self.forget(c, RetentionPolicy(last: 2), on: hooked)
        let fourth = try #require(await holder.id)
        #expect(await hooked.recordPuts == 2, "the first publish lost its compare-and-swap")
        #expect(outcome.written && outcome.kept.map(\.entry.id) == [fourth, ids[2]])
        #expect(try await c.catalog().history(device: c.device).map(\.id) == [fourth, ids[2]])
        let index = try await c.catalog().index(of: try #require(try await c.catalog().head(device: c.device)).pointer)
        #expect(Set(index.forgotten.map(\.id)) == Set(ids[0..<2]))
    }

    /// A forget lands while a backup is moving the head: the backup adds its snapshot to the forgotten-in index.
    @Test func aBackupRacingAForgetIsMergedIn() async throws {
        let c = try InMemoryClient(prefix: "forget-race-backup")
        defer { c.tmp.remove() }
        let ids = try await Self.backups(c, 0..<4)
        let hooked = HookedRing(c.ring)
        await hooked.beforeNextRecordPut { _ = try await Self.forget(c, RetentionPolicy(last: 1)) }
        try Data("five\n".utf8).write(to: URL(fileURLWithPath: c.src + "/5.txt"))
        let fifth = try await BackupRunner(client: hooked, identity: c.identity, logger: Logger(label: "test"), heads: HeadMemory(home: c.home))
            .run(localPath: c.src, device: c.device, cache: FileCacheStore(home: c.home, device: c.device, keys: c.identity.keys)).snapshotID
        #expect(await hooked.recordPuts == 2)
        #expect(try await c.catalog().history(device: c.device).map(\.id) == [fifth, ids[3]])
        let index = try await c.catalog().index(of: try #require(try await c.catalog().head(device: c.device)).pointer)
        #expect(Set(index.forgotten.map(\.id)) == Set(ids[0..<3]))
    }

    /// Every backup name is recorded in the device list, the old one kept after a rename, syncs as device:folder.
    @Test func theDeviceListRecordsEveryBackupName() async throws {
        let c = try InMemoryClient(prefix: "forget-names")
        defer { c.tmp.remove() }
        try await DeviceRegistry.recordBackup(ring: c.ring, identity: c.identity, home: c.home, device: "laptop")
        try await DeviceRegistry.recordBackup(ring: c.ring, identity: c.identity, home: c.home, device: "laptop2")
        try await DeviceRegistry.recordSync(ring: c.ring, identity: c.identity, home: c.home, device: "laptop2", folder: "docs")
        let list = try await DeviceRegistry.load(ring: c.ring, identity: c.identity)
        #expect(list.devices.count == 1 && list.devices[0].name == "laptop2")
        #expect(list.devices[0].backupNames == ["laptop", "laptop2", "laptop2:docs"])
        #expect(list.allBackupNames == ["laptop", "laptop2", "laptop2:docs"])
    }
}
