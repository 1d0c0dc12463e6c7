import ChordRing
import Foundation
import Logging
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

/// Sharing in-process against `InMemoryRing`: Alice backs up and shares, Bob lists his inbox and restores, Carol
/// cannot; live shares follow new versions until revoked.
@Suite struct SharingInMemoryTests {
    struct Setup {
        let tmp: TemporaryDirectory
        let ring = InMemoryRing()
        let alice = Identity.generate(), bob = Identity.generate(), carol = Identity.generate()
        let aliceHome: ClientHome
        let src: String
        let logger = Logger(label: "test")

        init() throws {
            tmp = try TemporaryDirectory(prefix: "sharing")
            aliceHome = ClientHome(path: tmp.sub("alice"))
            try SecretFile.prepareFolder(aliceHome.path, what: "home")
            src = tmp.sub("src")
            try FileManager.default.createDirectory(atPath: src + "/docs", withIntermediateDirectories: true)
            var random = SeededRandom(seed: 5)
            try Data(random.bytes(3 << 20)).write(to: URL(fileURLWithPath: src + "/docs/big.bin"))
            try Data("a small note\n".utf8).write(to: URL(fileURLWithPath: src + "/docs/note.txt"))
            try Data("not for bob".utf8).write(to: URL(fileURLWithPath: src + "/secret.txt"))
        }

        func backup() async throws -> BackupSummary {
            let summary = try await BackupRunner(client: ring, identity: alice, logger: logger).run(localPath: src, device: "d")
            _ = await LiveShareRenewal(ring: ring, identity: alice, home: aliceHome, logger: logger).renew(after: summary.snapshotID, device: "d")
            return summary
        }

        func share(_ file: String, follow: Bool = false) async throws -> FileSharer.Outcome {
            try await FileSharer(ring: ring, identity: alice, home: aliceHome, logger: logger)
                .share(file, device: "d", with: bob.signing.publicKey, message: "for you", follow: follow)
        }

        func restore(_ spec: String, as who: Identity, to name: String) async throws -> String {
            let r = SharedFileRestore(ring: ring, identity: who, logger: logger)
            let out = tmp.sub(name)
            _ = try await r.restore(try await r.grant(spec), to: out, force: false)
            return out
        }

        func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }
    }

    @Test func shareInboxRestoreAndNobodyElse() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        _ = try await s.backup()
        let big = try await s.share("docs/big.bin")
        let note = try await s.share(s.src + "/docs/note.txt")
        guard case .manifest = big.grant.content, case .inline = note.grant.content else {
            Issue.record("expected a manifest and an inline file")
            return
        }
        let (shares, rejected) = try await ShareInbox(ring: s.ring, identity: s.bob).list()
        #expect(rejected == 0 && shares.map(\.grant.name) == ["big.bin", "note.txt"] && shares.map(\.index) == [1, 2])
        #expect(shares[0].grant.sender == s.alice.signing.publicKey && shares[0].grant.message == "for you")
        #expect(shares[0].grant.size == 3 << 20)
        // From the inbox and from the token, byte-identical; reading Alice's blocks where they are (nothing is put).
        let puts = await s.ring.puts
        #expect(s.contents(try await s.restore("1", as: s.bob, to: "big.out")) == s.contents(s.src + "/docs/big.bin"))
        #expect(s.contents(try await s.restore(note.token, as: s.bob, to: "note.out")) == s.contents(s.src + "/docs/note.txt"))
        #expect(await s.ring.puts == puts)
        // Carol, with the same token: not for her, nothing written. Her inbox is empty.
        await #expect { _ = try await s.restore(big.token, as: s.carol, to: "carol.out") } throws: {
            ($0 as? BackupError)?.code == .notForYou
        }
        #expect(!FileManager.default.fileExists(atPath: s.tmp.sub("carol.out")))
        #expect(try await ShareInbox(ring: s.ring, identity: s.carol).list().shares.isEmpty)
        // What Bob's keys open on the ring: the shared files' blocks, nothing else of Alice's.
        var blocks: [(id: Identifier, bytes: [UInt8])] = []
        for id in await s.ring.blockIDs { blocks.append((id, await s.ring.bytes(of: id)!)) }
        guard case .manifest(let manifestID, _) = big.grant.content, case .inline(let noteRefs) = note.grant.content else { return }
        let manifest = await s.ring.bytes(of: manifestID)
        let keys = try KeyProbe.keys(of: big.grant, manifest: manifest) + KeyProbe.keys(of: note.grant, manifest: nil)
        let chunks = try FileManifest.open(manifest!, sessionKey: keys[0]).chunks
        #expect(chunks.count >= 2)
        let expected = Set([manifestID] + chunks.map(\.blockID) + noteRefs.map(\.blockID))
        #expect(KeyProbe.openable(blocks, with: keys) == expected)
        #expect(blocks.count > expected.count + 2)  // trees, the snapshot and secret.txt are there, and stay closed
        // The probe does find what Alice's own keys open: her two trees and the snapshot.
        #expect(KeyProbe.openable(blocks, with: [s.alice.keys.tree, s.alice.keys.snapshot]).count == 3)
    }

    @Test func removeAndBadIndexAndMissingBlocks() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        _ = try await s.backup()
        let big = try await s.share("docs/big.bin")
        await #expect { _ = try await s.share("docs/absent.txt") } throws: { ($0 as? BackupError)?.code == .notInSnapshot }
        await #expect { _ = try await s.share("docs") } throws: { ($0 as? BackupError)?.code == .notInSnapshot }
        await #expect { _ = try await s.restore("7", as: s.bob, to: "x") } throws: { "\($0)".contains("no share 7") }
        // Blocks gone: the error names the file and the block, and nothing is written.
        guard case .manifest(let manifestID, let key) = big.grant.content else { return }
        let chunk = try FileManifest.open(await s.ring.bytes(of: manifestID)!, sessionKey: key).chunks[1].blockID
        await s.ring.hide(chunk)
        await #expect { _ = try await s.restore("1", as: s.bob, to: "gone.out") } throws: {
            "\($0)".contains("big.bin") && "\($0)".contains(chunk.shortHex())
        }
        #expect(!FileManager.default.fileExists(atPath: s.tmp.sub("gone.out")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.tmp.path).allSatisfy { !$0.contains("gone.out") })
        let inbox = ShareInbox(ring: s.ring, identity: s.bob)
        try await inbox.remove(try await inbox.share(at: 1))
        #expect(try await inbox.list().shares.isEmpty)
    }

    @Test func anInboxAtItsCapIsAClearErrorToTheSender() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        let ring = InMemoryRing(inboxLimits: InboxLimits(entriesPerPoster: 1))
        _ = try await BackupRunner(client: ring, identity: s.alice, logger: s.logger).run(localPath: s.src, device: "d")
        let sharer = FileSharer(ring: ring, identity: s.alice, home: s.aliceHome, logger: s.logger)
        _ = try await sharer.share("docs/note.txt", device: "d", with: s.bob.signing.publicKey)
        await #expect { _ = try await sharer.share("docs/big.bin", device: "d", with: s.bob.signing.publicKey) } throws: {
            ($0 as? BackupError)?.code == .inboxFull && "\($0)".contains("nothing was shared with")
                && "\($0)".contains("the most one sender may have")
        }
    }

    @Test func aTamperedInboxEntryIsLeftOut() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        _ = try await s.backup()
        let note = try await s.share("docs/note.txt")
        var sealed = try ShareToken.decode(note.token)
        sealed[sealed.count / 2] ^= 1
        // Posted by someone (validly signed as an entry), but its share does not open.
        _ = try await s.ring.postToInbox(try InboxEntry(owner: s.bob.signing.publicKey, sealed: sealed, posted: 1, signingWith: s.carol.signing))
        let (shares, rejected) = try await ShareInbox(ring: s.ring, identity: s.bob).list()
        #expect(shares.count == 1 && rejected == 1)
        #expect { try SealedShare.open(sealed, as: s.bob) } throws: { ($0 as? BackupError)?.code == .badShare }
    }

    @Test func followThenRevoke() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        let file = s.src + "/docs/note.txt"
        _ = try await s.backup()
        let first = try await s.share("docs/note.txt", follow: true)
        #expect(!first.changedSinceBackup)
        // An unchanged file is not posted again.
        _ = try await s.backup()
        #expect(try await ShareInbox(ring: s.ring, identity: s.bob).list().shares.first?.grant.version == 1)
        try Data("version two\n".utf8).write(to: URL(fileURLWithPath: file))
        // Shared before the backup: the backed-up version goes, and the sharer is told the file changed since.
        #expect(try await s.share("docs/note.txt").changedSinceBackup)
        _ = try await s.backup()
        let others = try await ShareInbox(ring: s.ring, identity: s.bob).list().shares.filter { $0.grant.shareID != first.grant.shareID }
        #expect(others.count == 1 && others[0].grant.content == first.grant.content)
        try await ShareInbox(ring: s.ring, identity: s.bob).remove(others[0])
        let inbox = try await ShareInbox(ring: s.ring, identity: s.bob).list().shares
        #expect(inbox.count == 1 && inbox[0].grant.version == 2 && inbox[0].entryIDs.count == 2)
        #expect(inbox[0].grant.shareID == first.grant.shareID)
        #expect(s.contents(try await s.restore("1", as: s.bob, to: "v2")) == Data("version two\n".utf8))
        // The superseded version's entry can go; the share stays, at version 2.
        #expect(try await ShareInbox(ring: s.ring, identity: s.bob).pruneSuperseded(inbox) == 1)
        #expect(try await ShareInbox(ring: s.ring, identity: s.bob).list().shares.map(\.entryIDs.count) == [1])
        // Revoke, change again, back up: no version 3 for Bob; his keys do not open it; what he had still opens.
        var live = try LiveShares.load(from: s.aliceHome)
        #expect(live.revoke("docs/note.txt", localPath: s.src, device: "d", recipient: nil).count == 1)
        try live.save(in: s.aliceHome)
        try Data("version three, private\n".utf8).write(to: URL(fileURLWithPath: file))
        _ = try await s.backup()
        let after = try await ShareInbox(ring: s.ring, identity: s.bob).list().shares
        #expect(after.count == 1 && after[0].grant.version == 2)
        let snapshot = try await SnapshotCatalog(client: s.ring, identity: s.alice).latest(device: "d").snapshot
        let v3 = try await Restorer(client: s.ring, identity: s.alice, logger: s.logger).fileEntry("docs/note.txt", in: snapshot).entry
        guard case .inline(let v3Refs) = v3.content else { Issue.record("expected an inline file"); return }
        let bobKeys = try KeyProbe.keys(of: first.grant, manifest: nil) + KeyProbe.keys(of: after[0].grant, manifest: nil)
        let v3Block = await s.ring.bytes(of: v3Refs[0].blockID)!
        #expect(KeyProbe.openable([(v3Refs[0].blockID, v3Block)], with: bobKeys).isEmpty)
        #expect(s.contents(try await s.restore(first.token, as: s.bob, to: "v1")) == Data("a small note\n".utf8))
        #expect(s.contents(try await s.restore("1", as: s.bob, to: "v2again")) == Data("version two\n".utf8))
    }
}

extension SharingInMemoryTests {
    @Test func aDamagedListOfLiveSharesIsANoteNotAFailedBackup() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: LiveShares.path(in: s.aliceHome)))
        let summary = try await BackupRunner(client: s.ring, identity: s.alice, logger: s.logger).run(localPath: s.src, device: "d")
        let outcome = await LiveShareRenewal(ring: s.ring, identity: s.alice, home: s.aliceHome, logger: s.logger)
            .renew(after: summary.snapshotID, device: "d")
        #expect(outcome.posted == 0 && outcome.notes.count == 1 && outcome.notes[0].contains("shares.json"), "\(outcome.notes)")
    }

    @Test func aFollowedFileThatIsGoneIsANoteAndWaits() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        _ = try await s.backup()
        _ = try await s.share("docs/note.txt", follow: true)
        try FileManager.default.removeItem(atPath: s.src + "/docs/note.txt")
        let summary = try await BackupRunner(client: s.ring, identity: s.alice, logger: s.logger).run(localPath: s.src, device: "d")
        let outcome = await LiveShareRenewal(ring: s.ring, identity: s.alice, home: s.aliceHome, logger: s.logger)
            .renew(after: summary.snapshotID, device: "d")
        #expect(outcome.posted == 0 && outcome.notes.count == 1 && outcome.notes[0].contains("not in the latest snapshot"), "\(outcome.notes)")
        #expect(try LiveShares.load(from: s.aliceHome).shares.count == 1)
    }
}

extension SharingInMemoryTests {
    /// A recipient who keeps a share leases its blocks under their own key (docs/retention.md part 3), so the sender
    /// releasing theirs leaves the share's data in place.
    @Test func aKeptShareHoldsTheRecipientsOwnLeases() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        _ = try await s.backup()
        let big = try await s.share("docs/big.bin")
        let inbox = ShareInbox(ring: s.ring, identity: s.bob)
        let shares = try await inbox.list().shares
        guard case .manifest(let manifestID, let key) = big.grant.content else {
            Issue.record("expected a manifest")
            return
        }
        let chunks = try FileManifest.open(try #require(await s.ring.bytes(of: manifestID)), sessionKey: key).chunks
        let ids = [manifestID] + chunks.map(\.blockID)
        #expect(try await inbox.leaseKept(shares) == ids.count)
        // Alice releases everything (a prune past B): Bob's leases stay, so nothing of the share is garbage.
        await s.ring.setLeaseBackupBound(0)
        await s.ring.advance(seconds: 10)
        let held = try await s.ring.release(await s.ring.blockIDs, horizon: await s.ring.now, signingWith: s.alice.signing)
        #expect(!held.contains(true))
        await s.ring.advance(seconds: 10)
        let deleted = Set(await s.ring.collectGarbage(grace: 0))
        #expect(!deleted.isEmpty, "Alice's other blocks go")
        #expect(deleted.isDisjoint(with: ids))
        #expect(s.contents(try await s.restore("1", as: s.bob, to: "kept.out")) == s.contents(s.src + "/docs/big.bin"))
    }
}

extension SharingInMemoryTests {
    /// One share whose manifest is gone does not keep the others from being leased.
    @Test func anUnreadableShareDoesNotStopTheOthersLeases() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        _ = try await s.backup()
        let big = try await s.share("docs/big.bin")
        let note = try await s.share("docs/note.txt")
        guard case .manifest(let manifestID, _) = big.grant.content, case .inline(let refs) = note.grant.content else {
            Issue.record("expected a manifest and an inline file")
            return
        }
        await s.ring.hide(manifestID)
        let inbox = ShareInbox(ring: s.ring, identity: s.bob)
        #expect(try await inbox.leaseKept(try await inbox.list().shares) == refs.count)
        for ref in refs { #expect(await s.ring.leases(of: ref.blockID)?.leases.count == 2, "Alice's and Bob's") }
    }
}
