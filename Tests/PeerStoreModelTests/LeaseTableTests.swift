import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import Testing

/// The lease rules of docs/retention.md part 2, and the race of part 3, on the pure table.
@Suite struct LeaseTableTests {
    let alice = SigningKeyPair()
    let bob = SigningKeyPair()
    let x = BlockID.of(Array("x".utf8))
    let y = BlockID.of(Array("y".utf8))
    let day: UInt64 = 24 * 3600
    let t0: UInt64 = 1_800_000_000
    let grace: UInt64 = 7 * 24 * 3600

    func grant(_ keys: SigningKeyPair, _ ids: [Identifier], at time: UInt64, length: UInt64 = LeaseRules.standardLength) throws -> LeaseGrant {
        try LeaseGrant(ids: ids, issuedAt: time, expiry: time + length, signingWith: keys)
    }

    func release(_ keys: SigningKeyPair, _ ids: [Identifier], horizon: UInt64) throws -> LeaseRelease {
        try LeaseRelease(ids: ids, horizon: horizon, signingWith: keys)
    }

    @Test func aGrantLeasesAndRecordsTheRenewal() throws {
        var table = LeaseTable()
        let g = try grant(alice, [x, y], at: t0)
        #expect(table.apply(g, to: [x], now: t0 + 5) == [x])
        let lease = try #require(table.leases(of: x)?.leases.first)
        #expect(lease.renewedAt == t0 + 5)
        #expect(lease.expiry == g.expiry)
        #expect(table.holders.key(lease.holder) == alice.publicKey)
        #expect(table.wasLeased(x))
        #expect(!table.wasLeased(y))  // not held here, so not leased
    }

    @Test func grantsAreChecked() throws {
        #expect(LeaseTable.check(try grant(alice, [x], at: t0), now: t0) == nil)
        // Ten minutes ahead is taken, more is refused.
        #expect(LeaseTable.check(try grant(alice, [x], at: t0 + 600), now: t0) == nil)
        #expect(LeaseTable.check(try grant(alice, [x], at: t0 + 601), now: t0)?.code == .badLease)
        #expect(LeaseTable.check(try grant(alice, [x], at: t0 - 100, length: 50), now: t0)?.code == .badLease)  // expired
        var forged = try grant(alice, [x], at: t0)
        forged.holder = bob.publicKey
        #expect(LeaseTable.check(forged, now: t0)?.code == .badLease)
        var forgedRelease = try release(alice, [x], horizon: t0)
        #expect(LeaseTable.check(forgedRelease) == nil)
        forgedRelease.horizon += 1
        #expect(LeaseTable.check(forgedRelease)?.code == .badLease)
    }

    @Test func aRenewalIsPersistedOnlyWhenItMovesTheExpiryByAnEighth() throws {
        let length = LeaseRules.standardLength
        #expect(LeaseTable.mustPersist(stored: nil, asked: 10, length: length))
        #expect(!LeaseTable.mustPersist(stored: 1000, asked: 1000 + length / 8, length: length))
        #expect(LeaseTable.mustPersist(stored: 1000, asked: 1001 + length / 8, length: length))
        #expect(!LeaseTable.mustPersist(stored: 1000, asked: 900, length: length))

        var table = LeaseTable()
        #expect(table.apply(try grant(alice, [x], at: t0), to: [x], now: t0) == [x])
        // A day later: the expiry would move by a day, far less than 50 days: renewal time only, nothing to log.
        #expect(table.apply(try grant(alice, [x], at: t0 + day), to: [x], now: t0 + day) == [])
        let lease = try #require(table.leases(of: x)?.leases.first)
        #expect(lease.renewedAt == t0 + day)
        #expect(lease.expiry == t0 + length)
        // 51 days later it moves by more than an eighth of 400 days: logged, and the expiry moves.
        let later = t0 + 51 * day
        #expect(table.apply(try grant(alice, [x], at: later), to: [x], now: later) == [x])
        #expect(table.leases(of: x)?.leases.first?.expiry == later + length)
        // Another holder's first lease is always logged.
        #expect(table.apply(try grant(bob, [x], at: later), to: [x], now: later) == [x])
        #expect(table.leases(of: x)?.leases.count == 2)
        #expect(table.holders.keys.count == 2)
    }

    @Test func holdersAreInterned() throws {
        var table = LeaseTable()
        let ids = (0..<50).map { BlockID.of([UInt8($0)]) }
        _ = table.apply(try grant(alice, ids, at: t0), to: ids, now: t0)
        _ = table.apply(try grant(alice, ids, at: t0 + 60 * day), to: ids, now: t0 + 60 * day)
        _ = table.apply(try grant(bob, [x], at: t0), to: [x], now: t0)
        #expect(table.apply(try grant(SigningKeyPair(), [y], at: t0), to: [], now: t0) == [])  // holds none of them
        #expect(table.holders.keys == [alice.publicKey, bob.publicKey])
        #expect(table.leases(of: ids[7])?.leases.map(\.holder) == [0])
    }

    @Test func aReleaseEndsALeaseRenewedBeforeTheHorizonLessB() throws {
        var table = LeaseTable()
        _ = table.apply(try grant(alice, [x], at: t0), to: [x], now: t0)
        // The prune read the heads two days later: the renewal is older than horizon - B.
        let horizon = t0 + 2 * day
        #expect(table.apply(try release(alice, [x], horizon: horizon), now: horizon + 60) == [x])
        #expect(table.leases(of: x)?.leases.isEmpty == true)
        #expect(table.leases(of: x)?.endedAt == horizon + 60)
    }

    @Test func theRaceAReleaseIsIgnoredWhenTheBlockWasRenewedAfterTheHorizonLessB() throws {
        // Device B's backup found X stored and renewed it at t1; device A's prune read the heads at T0 before B's
        // backup committed, so it missed B's snapshot and releases X. Since t1 >= T0 - B, the release is ignored.
        var table = LeaseTable()
        _ = table.apply(try grant(alice, [x, y], at: t0), to: [x, y], now: t0)
        let t1 = t0 + 30 * day
        _ = table.apply(try grant(alice, [x], at: t1), to: [x], now: t1)  // B's have-blocks
        let horizon = t1 + LeaseRules.backupBound - 1  // T0 - B < t1
        let ended = table.apply(try release(alice, [x, y], horizon: horizon), now: horizon + 600)
        #expect(ended == [y])  // y was not renewed since t0: released
        #expect(table.leases(of: x)?.leases.count == 1)
        #expect(!table.isGarbage(x, now: horizon + 100 * day, grace: grace, honourExpiry: false))
        // Exactly B after the renewal, the release ends it.
        #expect(table.apply(try release(alice, [x], horizon: t1 + LeaseRules.backupBound + 1), now: t1 + 2 * day) == [x])
    }

    @Test func aReleaseUsesTheNodesClockWhenTheHorizonIsAhead() throws {
        var table = LeaseTable()
        _ = table.apply(try grant(alice, [x], at: t0), to: [x], now: t0)
        // A horizon far in the future does not reach past the node's own now - B.
        #expect(table.apply(try release(alice, [x], horizon: t0 + 1000 * day), now: t0 + LeaseRules.backupBound) == [])
        #expect(LeaseTable.releaseCutoff(horizon: 10, now: 5) == 0)
        #expect(LeaseTable.releaseCutoff(horizon: t0, now: t0 + day) == t0 - LeaseRules.backupBound)
    }

    @Test func aReleaseEndsOnlyItsHoldersLease() throws {
        var table = LeaseTable()
        _ = table.apply(try grant(alice, [x], at: t0), to: [x], now: t0)
        _ = table.apply(try grant(bob, [x], at: t0), to: [x], now: t0)  // a share recipient's own lease
        let horizon = t0 + 10 * day
        #expect(table.apply(try release(alice, [x], horizon: horizon), now: horizon) == [x])
        #expect(table.leases(of: x)?.leases.count == 1)
        #expect(!table.isGarbage(x, now: horizon + 100 * day, grace: grace, honourExpiry: false))
        // A release by someone who never leased anything changes nothing.
        let stranger = SigningKeyPair()
        #expect(table.apply(try release(stranger, [x, y], horizon: horizon), now: horizon) == [])
    }

    @Test func nothingIsGarbageBeforeTheGracePeriodEnds() throws {
        var table = LeaseTable()
        _ = table.apply(try grant(alice, [x], at: t0), to: [x], now: t0)
        let released = t0 + 3 * day
        _ = table.apply(try release(alice, [x], horizon: released), now: released)
        #expect(!table.isGarbage(x, now: released, grace: grace, honourExpiry: false))
        #expect(!table.isGarbage(x, now: released + grace - 1, grace: grace, honourExpiry: false))
        #expect(table.isGarbage(x, now: released + grace, grace: grace, honourExpiry: false))
        #expect(table.garbage(now: released + grace - 1, grace: grace, honourExpiry: false) == [])
        #expect(table.garbage(now: released + grace, grace: grace, honourExpiry: false) == [x])
    }

    @Test func aBlockLeasedAgainWithinTheGraceStays() throws {
        var table = LeaseTable()
        _ = table.apply(try grant(alice, [x], at: t0), to: [x], now: t0)
        let released = t0 + 3 * day
        _ = table.apply(try release(alice, [x], horizon: released), now: released)
        _ = table.apply(try grant(alice, [x], at: released + day), to: [x], now: released + day)
        #expect(!table.isGarbage(x, now: released + 10 * grace, grace: grace, honourExpiry: false))
    }

    @Test func aBlockNeverLeasedIsNeverGarbage() throws {
        let table = LeaseTable()
        #expect(!table.isGarbage(x, now: UInt64.max, grace: 0, honourExpiry: true))
        #expect(table.garbage(now: UInt64.max, grace: 0, honourExpiry: true) == [])
    }

    @Test func expiryCountsOnlyWhenHonoured() throws {
        var table = LeaseTable()
        _ = table.apply(try grant(alice, [x], at: t0, length: 10 * day), to: [x], now: t0)
        let expired = t0 + 10 * day
        #expect(!table.isGarbage(x, now: expired + 100 * grace, grace: grace, honourExpiry: false))
        #expect(!table.isGarbage(x, now: expired + grace - 1, grace: grace, honourExpiry: true))
        #expect(table.isGarbage(x, now: expired + grace, grace: grace, honourExpiry: true))
        // A second, live lease keeps it.
        _ = table.apply(try grant(bob, [x], at: t0 + day), to: [x], now: t0 + day)
        #expect(!table.isGarbage(x, now: expired + grace, grace: grace, honourExpiry: true))
    }

    @Test func theGraceRunsFromTheLastLeaseThatEnded() throws {
        var table = LeaseTable()
        _ = table.apply(try grant(alice, [x], at: t0), to: [x], now: t0)
        _ = table.apply(try grant(bob, [x], at: t0), to: [x], now: t0)
        _ = table.apply(try release(alice, [x], horizon: t0 + 2 * day), now: t0 + 2 * day)
        _ = table.apply(try release(bob, [x], horizon: t0 + 5 * day), now: t0 + 5 * day)
        #expect(!table.isGarbage(x, now: t0 + 2 * day + grace, grace: grace, honourExpiry: false))
        #expect(table.isGarbage(x, now: t0 + 5 * day + grace, grace: grace, honourExpiry: false))
    }

    @Test func replayRebuildsTheSameTable() throws {
        var live = LeaseTable()
        let g = try grant(alice, [x, y], at: t0)
        let persisted = live.apply(g, to: [x, y], now: t0)
        let r = try release(alice, [y], horizon: t0 + 3 * day)
        let ended = live.apply(r, now: t0 + 3 * day)
        var replayed = LeaseTable()
        replayed.restore(holder: alice.publicKey, ids: persisted, renewedAt: t0, expiry: g.expiry)
        replayed.restore(releaseOf: alice.publicKey, ids: ended, at: t0 + 3 * day)
        #expect(replayed == live)
    }

    @Test func afterARestartEveryLeaseCountsAsRenewed() throws {
        // The log keeps a renewal only when the expiry moved by an eighth, so after a restart the last renewal is
        // unknown: a release within B of the restart must not end the lease.
        var table = LeaseTable()
        table.restore(holder: alice.publicKey, ids: [x], renewedAt: t0, expiry: t0 + LeaseRules.standardLength)
        let restart = t0 + 40 * day
        table.assumeRenewed(at: restart)
        #expect(table.leases(of: x)?.leases.first?.renewedAt == restart)
        #expect(table.apply(try release(alice, [x], horizon: restart + day - 1), now: restart + day) == [])
        #expect(table.apply(try release(alice, [x], horizon: restart + day + 1), now: restart + day + 1) == [x])
    }

    @Test func tombstonesDropLeasesAndExpireAfterTwiceTheGrace() throws {
        var table = LeaseTable()
        _ = table.apply(try grant(alice, [x], at: t0), to: [x], now: t0)
        let deleted = t0 + 20 * day
        table.delete(x, at: deleted)
        #expect(table.isTombstoned(x))
        #expect(!table.wasLeased(x))
        #expect(!table.isGarbage(x, now: deleted + grace, grace: grace, honourExpiry: true))
        #expect(table.expireTombstones(now: deleted + 2 * grace - 1, grace: grace) == [])
        #expect(table.isTombstoned(x))
        #expect(table.expireTombstones(now: deleted + 2 * grace, grace: grace) == [x])
        #expect(!table.isTombstoned(x))
    }

    @Test func clearingATombstoneLeavesABlockThatWasNeverLeased() throws {
        var table = LeaseTable()
        _ = table.apply(try grant(alice, [x], at: t0), to: [x], now: t0)
        table.delete(x, at: t0 + day)
        table.clearTombstone(x)
        #expect(!table.isTombstoned(x))
        #expect(!table.isGarbage(x, now: UInt64.max, grace: 0, honourExpiry: true))
        #expect(table.apply(try grant(alice, [x], at: t0 + 2 * day), to: [x], now: t0 + 2 * day) == [x])
    }
}
