import BlockStore
import ChordRing
import Foundation
import NIOCore
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreNode
import PeerStoreWire
import Testing

/// The lease requests on one node's request processor (no ring): have-blocks with a grant, lease, release, refusals.
@Suite struct LeaseRequestTests {
    let holder = SigningKeyPair()

    func now() -> UInt64 { UInt64(Date().timeIntervalSince1970) }

    func grant(_ ids: [Identifier], issuedAt: UInt64? = nil) throws -> LeaseGrant {
        let at = issuedAt ?? now()
        return try LeaseGrant(ids: ids, issuedAt: at, expiry: at + LeaseRules.standardLength, signingWith: holder)
    }

    func put(_ f: ProcessorFixture, _ n: UInt8) async -> Identifier {
        let bytes = [n, n, n]
        _ = await f.handle(.putBlock(id: BlockID.of(bytes), bytes: ByteBuffer(bytes: bytes)))
        return BlockID.of(bytes)
    }

    @Test func haveBlocksWithAGrantAnswersAndLeasesThoseHeld() async throws {
        let f = try ProcessorFixture()
        let (a, b) = (await put(f, 1), await put(f, 2))
        let absent = BlockID.of([9])
        #expect(await f.handle(.haveBlocksLeased(grant: try grant([a, absent, b]))) == .haveBlocksResult(present: [true, false, true]))
        #expect(f.store.leases(of: a)?.leases.count == 1)
        #expect(f.store.leases(of: b)?.leases.count == 1)
        #expect(f.store.leases(of: absent) == nil)
        // The old have-blocks leases nothing.
        let c = await put(f, 3)
        #expect(await f.handle(.haveBlocks(ids: [c])) == .haveBlocksResult(present: [true]))
        #expect(f.store.leases(of: c) == nil)
    }

    @Test func leaseThenReleaseEndsOnlyAnOldRenewal() async throws {
        let f = try ProcessorFixture()
        let a = await put(f, 1)
        #expect(await f.handle(.leaseBlocks(grant: try grant([a]))) == .leaseBlocksResult(present: [true]))
        // Renewed just now: a release with a horizon of now is within B of it and ends nothing.
        let release = try LeaseRelease(ids: [a], horizon: now(), signingWith: holder)
        #expect(await f.handle(.releaseBlocks(release: release)) == .releaseBlocksResult(held: [true]))
        #expect(f.store.leases(of: a)?.leases.count == 1)
    }

    @Test func badGrantsAreRefusedWithBadLease() async throws {
        let f = try ProcessorFixture()
        let a = await put(f, 1)
        var forged = try grant([a])
        forged.ids = [BlockID.of([7])]
        #expect(errorCode(await f.handle(.haveBlocksLeased(grant: forged))) == .badLease)
        #expect(errorCode(await f.handle(.leaseBlocks(grant: try grant([a], issuedAt: now() + 3600)))) == .badLease)
        var release = try LeaseRelease(ids: [a], horizon: 1, signingWith: holder)
        release.horizon = 2
        #expect(errorCode(await f.handle(.releaseBlocks(release: release))) == .badLease)
        #expect(f.store.leases(of: a) == nil)
    }

    @Test func leaseStatesTombstonesRangesAndDeletionsAreForNodesOnly() async throws {
        let f = try ProcessorFixture()
        let a = await put(f, 1)
        _ = await f.handle(.leaseBlocks(grant: try grant([a])))
        let user = Peer(key: holder.publicKey, kind: .user)
        for request in [WireMessage.leaseState(ids: [a]), .deleteBlocks(ids: [a]), .tombstones(ids: [a]),
                        .rangeBlocks(start: a, end: a)] {
            #expect(errorCode(await f.processor.handle(request, from: user)) == .forbidden, "\(request.type)")
        }
        #expect(f.store.contains(a))
        // What a node is answered, from the local store.
        #expect(await f.processor.local.handle(.leaseState(ids: [a, BlockID.of([8])])) == .leaseStateResult(live: [true, false]))
        #expect(await f.processor.local.handle(.deleteBlocks(ids: [a])) == .deleteBlocksResult(deleted: 0))  // leased here
        #expect(await f.processor.local.handle(.tombstones(ids: [a])) == .tombstonesResult(deleted: [false]))
        let b = await put(f, 2)
        #expect(await f.processor.local.handle(.deleteBlocks(ids: [b])) == .deleteBlocksResult(deleted: 0))  // never leased
        #expect(await f.processor.local.handle(.tombstones(ids: [a, b])) == .tombstonesResult(deleted: [false, false]))
        #expect(f.store.contains(b))
    }

    /// A settable node clock, in unix seconds.
    final class TestClock: @unchecked Sendable {
        private let lock = NSLock()
        private var seconds: UInt64
        init(_ seconds: UInt64) { self.seconds = seconds }
        var now: UInt64 { lock.withLock { seconds } }
        func advance(_ by: UInt64) { lock.withLock { seconds += by } }
    }

    @Test func aReplicaDeletesOnlyWhatIsGarbageByItsOwnView() async throws {
        let clock = TestClock(now())
        var leases = LeaseSettings()
        (leases.grace, leases.backupBound) = (100, 0)
        let f = try ProcessorFixture(leases: leases, wallClock: { clock.now })
        let (a, never) = (await put(f, 1), await put(f, 2))
        _ = await f.handle(.leaseBlocks(grant: try grant([a], issuedAt: clock.now)))
        clock.advance(1)
        #expect(await f.handle(.releaseBlocks(release: try LeaseRelease(ids: [a], horizon: clock.now, signingWith: holder)))
            == .releaseBlocksResult(held: [false]))
        // Released, but in its grace period: an owner (or a stray node) asking for the deletion now gets nothing.
        clock.advance(10)
        #expect(await f.processor.local.handle(.deleteBlocks(ids: [a, never])) == .deleteBlocksResult(deleted: 0))
        clock.advance(100)
        #expect(await f.processor.local.handle(.deleteBlocks(ids: [a, never])) == .deleteBlocksResult(deleted: 1))
        #expect(!f.store.contains(a) && f.store.contains(never), "a block never leased is never deleted")
    }

    @Test func theCollectorLooksAFewTimesPerGracePeriod() {
        var settings = LeaseSettings()
        #expect(settings.grace == 7 * 24 * 3600 && !settings.honourExpiry && settings.backupBound == 24 * 3600)
        #expect(settings.collectInterval == .seconds(60))
        settings.grace = 2
        #expect(settings.collectInterval == .milliseconds(500))
        settings.grace = 0
        #expect(settings.collectInterval == .milliseconds(250))
    }

    @Test func aUserNotAllowedToStoreMayNotLease() async throws {
        let f = try ProcessorFixture()
        let a = await put(f, 1)
        let allowed = SigningKeyPair()
        let processor = RequestProcessor(local: f.processor.local, policy: AccessPolicy(allowedUsers: [allowed.publicKey]))
        let stranger = Peer(key: holder.publicKey, kind: .user)
        #expect(errorCode(await processor.handle(.haveBlocksLeased(grant: try grant([a])), from: stranger)) == .forbidden)
        #expect(errorCode(await processor.handle(.leaseBlocks(grant: try grant([a])), from: stranger)) == .forbidden)
        #expect(f.store.leases(of: a) == nil)
        // A release is the holder's signed word: open to anyone who carries it.
        let release = try LeaseRelease(ids: [a], horizon: 1, signingWith: holder)
        #expect(await processor.handle(.releaseBlocks(release: release), from: stranger) == .releaseBlocksResult(held: [false]))
    }
}
