import Foundation
import ChordRing
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreWire

/// A ring in memory for in-process tests of backup, restore and the catalog: one holder that checks block ids and
/// record, inbox and lease rules as a node does and answers with the wire's errors, plus faults on request (a block
/// missing, a block served damaged, the next head update lost to another writer, a slow node, an inbox lost). Leases
/// follow the node's `LeaseTable` on an injected clock; `collectGarbage` deletes what a node's collector would.
public actor InMemoryRing: RingAccess {
    /// The one holder's ring id.
    public nonisolated let nodeID = BlockID.of(Array("in-memory ring".utf8))
    private var blocks: [Identifier: [UInt8]] = [:]
    private var records: [Identifier: SignedRecord] = [:]
    private var missing: Set<Identifier> = []
    private var damaged: Set<Identifier> = []
    private var loseNextRecordPut = false
    private var inboxes: [Identifier: InboxState] = [:]
    private let inboxLimits: InboxLimits
    private var delay: Duration = .zero
    /// Block puts still accepted before the ring "goes away" (nil: no limit).
    private var putsLeft: Int?
    private var leases = LeaseTable()
    /// The ring's clock (unix seconds) for leases; tests move it.
    public private(set) var now: UInt64
    /// B: a release ends only leases renewed before `min(horizon, now) - leaseBackupBound`.
    public var leaseBackupBound: UInt64 = LeaseRules.backupBound
    /// Counts of what was asked, for tests that check what an operation did.
    public private(set) var puts = 0
    public private(set) var gets = 0

    public init(inboxLimits: InboxLimits = .standard, now: UInt64 = UInt64(Date().timeIntervalSince1970)) {
        self.inboxLimits = inboxLimits
        self.now = now
    }

    /// Moves the lease clock forward.
    public func advance(seconds: UInt64) { now += seconds }
    /// Sets B (`-leaseBackupBound` on a node).
    public func setLeaseBackupBound(_ seconds: UInt64) { leaseBackupBound = seconds }

    // MARK: Faults

    /// The block is not there (as if lost on every holder), until `restore`.
    public func hide(_ id: Identifier) { missing.insert(id) }
    /// The block is served with one byte flipped (as a holder whose disk went bad).
    public func damage(_ id: Identifier) { damaged.insert(id) }
    /// The next record put fails its compare-and-swap, as when another backup of the device moved the head first.
    public func loseNextRecordUpdate() { loseNextRecordPut = true }
    /// Every answer waits this long first (a slow node).
    public func slowDown(by delay: Duration) { self.delay = delay }
    /// After `count` more block puts, every put fails as if the network were lost (nil: they work again).
    public func failBlockPuts(after count: Int?) { putsLeft = count }
    /// Forgets `owner`'s inbox, entries and removals (as if every holder lost it).
    public func dropInbox(owner: [UInt8]) { inboxes[InboxKey.of(owner: owner)] = nil }
    /// Fault: the ring no longer serves the record under `key` (a stale or restarted holder).
    public func dropRecord(key: Identifier) { records[key] = nil }
    /// Undoes `hide` and `damage`.
    public func restore(_ id: Identifier) {
        missing.remove(id)
        damaged.remove(id)
    }

    // MARK: Looking in

    public var blockIDs: [Identifier] { Array(blocks.keys) }
    /// The leases held on a block, if it was ever leased.
    public func leases(of id: Identifier) -> BlockLeases? { leases.leases(of: id) }
    /// Whether a live (unreleased) lease is held on the block.
    public func isLeased(_ id: Identifier) -> Bool { leases.hasLiveLease(id, now: now, honourExpiry: false) }

    /// What a node's collector does at `now` with `grace` seconds: deletes every garbage block (leased once, no live
    /// lease, the last one ended `grace` or more ago) and leaves a tombstone. Returns the ids deleted.
    @discardableResult
    public func collectGarbage(grace: UInt64, honourExpiry: Bool = false) -> [Identifier] {
        let garbage = leases.garbage(now: now, grace: grace, honourExpiry: honourExpiry).filter { blocks[$0] != nil }
        for id in garbage {
            blocks[id] = nil
            leases.delete(id, at: now)
        }
        return garbage
    }
    public func bytes(of id: Identifier) -> [UInt8]? { blocks[id] }

    /// Every block stored, in no order.
    public func allBlocks() -> [[UInt8]] { Array(blocks.values) }

    // MARK: RingAccess

    public func haveBlocks(_ ids: [Identifier]) async throws -> [Bool] {
        try await wait()
        return ids.map { blocks[$0] != nil && !missing.contains($0) }
    }

    @discardableResult
    public func putBlock(id: Identifier, bytes: [UInt8]) async throws -> Bool {
        try await wait()
        guard BlockID.of(bytes) == id else { throw WireError(.idMismatch, "block bytes do not hash to \(id.shortHex())") }
        if let left = putsLeft {
            guard left > 0 else { throw WireError(.connectionFailed, "the ring went away (a test's failBlockPuts)") }
            putsLeft = left - 1
        }
        puts += 1
        leases.clearTombstone(id)
        missing.remove(id)
        damaged.remove(id)
        return blocks.updateValue(bytes, forKey: id) == nil
    }

    public func getBlock(id: Identifier, excluding: Set<Identifier>) async throws -> (bytes: [UInt8], from: Identifier)? {
        try await wait()
        gets += 1
        guard !excluding.contains(nodeID), !missing.contains(id), var bytes = blocks[id] else { return nil }
        if damaged.contains(id), !bytes.isEmpty { bytes[bytes.count / 2] ^= 0xff }
        return (bytes, nodeID)
    }

    @discardableResult
    public func putRecord(_ record: SignedRecord, expectedSeq: UInt64?) async throws -> Bool {
        try await wait()
        if loseNextRecordPut {
            loseNextRecordPut = false
            throw WireError(.casFailed, "record changed meanwhile (an injected lost update)")
        }
        switch RecordRules.decide(new: record, stored: records[record.key], expectedSeq: expectedSeq) {
        case .store:
            records[record.key] = record
            return true
        case .refresh:
            return false
        case .reject(let error):
            throw WireError(error)
        }
    }

    public func getRecord(key: Identifier) async throws -> SignedRecord? {
        try await wait()
        return records[key]
    }

    public func holdings(of ids: [Identifier]) async -> [NodeHolding] {
        let present = ids.map { blocks[$0] != nil && !missing.contains($0) }
        return [NodeHolding(address: "in-memory", present: present, replicas: 1)]
    }

    public func postToInbox(_ entry: InboxEntry) async throws -> Bool {
        try await wait()
        var inbox = inboxes[entry.inboxKey] ?? InboxState(owner: entry.owner, limits: inboxLimits)
        switch inbox.post(entry) {
        case .store:
            inboxes[entry.inboxKey] = inbox
            return true
        case .duplicate:
            return false
        case .reject(let error):
            throw WireError(error)
        }
    }

    public func inboxEntries(owner: [UInt8]) async throws -> [InboxEntry] {
        try await wait()
        return inboxes[InboxKey.of(owner: owner)]?.sortedEntries ?? []
    }

    public func removeFromInbox(_ removal: InboxRemoval) async throws {
        try await wait()
        var inbox = inboxes[removal.inboxKey] ?? InboxState(owner: removal.owner, limits: inboxLimits)
        do {
            try inbox.apply(removal)
        } catch let error as ModelError {
            throw WireError(error)
        }
        inboxes[removal.inboxKey] = inbox
    }

    // MARK: LeaseAccess

    public func haveBlocks(_ ids: [Identifier], leasing terms: LeaseTerms) async throws -> [Bool] {
        try await lease(ids, terms: terms)
    }

    public func lease(_ ids: [Identifier], terms: LeaseTerms) async throws -> [Bool] {
        try await wait()
        var present: [Bool] = []
        for start in stride(from: 0, to: ids.count, by: LeaseGrant.maxIDs) {
            let batch = Array(ids[start..<min(ids.count, start + LeaseGrant.maxIDs)])
            let grant = try LeaseGrant(ids: batch, issuedAt: terms.issuedAt, expiry: terms.expiry, signingWith: terms.keys)
            if let error = LeaseTable.check(grant, now: now) { throw WireError(error) }
            let held = batch.map { blocks[$0] != nil && !missing.contains($0) }
            _ = leases.apply(grant, to: zip(batch, held).filter(\.1).map(\.0), now: now)
            present += held
        }
        return present
    }

    public func release(_ ids: [Identifier], horizon: UInt64, signingWith keys: SigningKeyPair) async throws -> [Bool] {
        try await wait()
        var held: [Bool] = []
        for start in stride(from: 0, to: ids.count, by: LeaseRelease.maxIDs) {
            let batch = Array(ids[start..<min(ids.count, start + LeaseRelease.maxIDs)])
            let release = try LeaseRelease(ids: batch, horizon: horizon, signingWith: keys)
            if let error = LeaseTable.check(release) { throw WireError(error) }
            _ = leases.apply(release, now: now, backupBound: leaseBackupBound)
            held += leases.held(release)
        }
        return held
    }

    private func wait() async throws {
        if delay > .zero { try await Task.sleep(for: delay) }
    }
}
