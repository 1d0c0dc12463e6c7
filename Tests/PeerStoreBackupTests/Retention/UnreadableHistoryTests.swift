import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// A version 1 head (older builds) whose parent chain has lost, or damaged, an old snapshot: a backup is still
/// stored, keeps a version 1 head and says in one notice that forget cannot work on that history; once the block is
/// back, the next backup writes the index.
@Suite struct UnreadableHistoryTests {
    /// Three backups, then the head rewritten as older builds wrote it (version 1: the newest snapshot and its time).
    static func version1History(_ c: InMemoryClient) async throws -> [Identifier] {
        let ids = try await ForgetInMemoryTests.backups(c, 0..<3)
        try await rewriteHeadAsVersion1(c)
        return ids
    }

    /// Replaces the device's head with a version 1 one naming the same newest snapshot and time.
    static func rewriteHeadAsVersion1(_ c: InMemoryClient) async throws {
        let current = try #require(try await c.catalog().head(device: c.device))
        let plain = current.pointer.snapshot.bytes + withUnsafeBytes(of: current.pointer.time.bigEndian) { Array($0) }
        let value = try SealedObject.seal(plain, kind: .head, key: c.identity.keys.headValue, nonce: SecureRandom.bytes(24))
        let v1 = try SignedRecord(signing: value, salt: HeadPointer.salt(device: c.device, keys: c.identity.keys),
                                  seq: current.record.seq + 1, with: c.identity.signing)
        try await c.ring.putRecord(v1, expectedSeq: current.record.seq)
    }

    @Test(arguments: ["lost", "damaged"])
    func aBackupOnAVersion1HeadWithALostSnapshotIsStored(_ fault: String) async throws {
        let c = try InMemoryClient(prefix: "history-\(fault)")
        defer { c.tmp.remove() }
        let ids = try await Self.version1History(c)
        if fault == "lost" { await c.ring.hide(ids[0]) } else { await c.ring.damage(ids[0]) }

        let next = try await ForgetInMemoryTests.backups(c, 3..<4)[0]
        let summary = try await c.backup()
        #expect(summary.notices.count == 1 && summary.notices[0].contains("forget cannot work on this history"), "\(summary.notices)")
        #expect(!summary.notices[0].contains("\n"))
        let head = try #require(try await c.catalog().head(device: c.device))
        #expect(head.pointer.index == nil && head.pointer.snapshot == summary.snapshotID, "the head stays version 1")
        let latest = try await c.catalog().latest(device: c.device)
        #expect(latest.snapshot.parent == next, "the chain goes on")
        let out = c.tmp.sub("out")
        _ = try await c.restore(to: out)
        #expect(FileManager.default.contents(atPath: out + "/3.txt") == Data("version 3\n".utf8))

        // The block back: the next backup writes the index from the whole chain, with no notice.
        await c.ring.restore(ids[0])
        let healed = try await c.backup()
        #expect(healed.notices.isEmpty, "\(healed.notices)")
        let now = try #require(try await c.catalog().head(device: c.device))
        #expect(now.pointer.index != nil)
        #expect(try await c.catalog().history(device: c.device).map(\.id) == [healed.snapshotID, summary.snapshotID, next] + ids.reversed())
    }
}
