import ChordRing
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel

/// A test double that forwards to an `InMemoryRing`: conform, name `inner`, and write only the calls the double
/// changes (count, delay, or hook them).
public protocol ForwardingRing: RingAccess {
    var inner: InMemoryRing { get }
}

extension ForwardingRing {
    public func haveBlocks(_ ids: [Identifier]) async throws -> [Bool] { try await inner.haveBlocks(ids) }
    public func putBlock(id: Identifier, bytes: [UInt8]) async throws -> Bool { try await inner.putBlock(id: id, bytes: bytes) }
    public func getBlock(id: Identifier, excluding: Set<Identifier>) async throws -> (bytes: [UInt8], from: Identifier)? {
        try await inner.getBlock(id: id, excluding: excluding)
    }
    public func putRecord(_ record: SignedRecord, expectedSeq: UInt64?) async throws -> Bool {
        try await inner.putRecord(record, expectedSeq: expectedSeq)
    }
    public func getRecord(key: Identifier) async throws -> SignedRecord? { try await inner.getRecord(key: key) }
    public func holdings(of ids: [Identifier]) async -> [NodeHolding] { await inner.holdings(of: ids) }
    public func postToInbox(_ entry: InboxEntry) async throws -> Bool { try await inner.postToInbox(entry) }
    public func inboxEntries(owner: [UInt8]) async throws -> [InboxEntry] { try await inner.inboxEntries(owner: owner) }
    public func removeFromInbox(_ removal: InboxRemoval) async throws { try await inner.removeFromInbox(removal) }
    public func haveBlocks(_ ids: [Identifier], leasing terms: LeaseTerms) async throws -> [Bool] {
        try await inner.haveBlocks(ids, leasing: terms)
    }
    public func lease(_ ids: [Identifier], terms: LeaseTerms) async throws -> [Bool] { try await inner.lease(ids, terms: terms) }
    public func release(_ ids: [Identifier], horizon: UInt64, signingWith keys: SigningKeyPair) async throws -> [Bool] {
        try await inner.release(ids, horizon: horizon, signingWith: keys)
    }
}
