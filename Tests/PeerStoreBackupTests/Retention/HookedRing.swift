import ChordRing
import PeerStoreModel
import PeerStoreTestKit

@testable import PeerStoreBackup

/// An `InMemoryRing` whose next record put first runs `hook` (another client's backup or forget, on the inner ring):
/// the race of two writers of one head, made to happen at the worst moment.
actor HookedRing: RingAccess {
    let inner: InMemoryRing
    private var hook: (@Sendable () async throws -> Void)?
    private(set) var recordPuts = 0

    init(_ inner: InMemoryRing) { self.inner = inner }

    func beforeNextRecordPut(_ hook: @escaping @Sendable () async throws -> Void) { self.hook = hook }

    func putRecord(_ record: SignedRecord, expectedSeq: UInt64?) async throws -> Bool {
        recordPuts += 1
        if let hook {
            self.hook = nil
            try await hook()
        }
        return try await inner.putRecord(record, expectedSeq: expectedSeq)
    }

    func haveBlocks(_ ids: [Identifier]) async throws -> [Bool] { try await inner.haveBlocks(ids) }
    func putBlock(id: Identifier, bytes: [UInt8]) async throws -> Bool { try await inner.putBlock(id: id, bytes: bytes) }
    func getBlock(id: Identifier, excluding: Set<Identifier>) async throws -> (bytes: [UInt8], from: Identifier)? {
        try await inner.getBlock(id: id, excluding: excluding)
    }
    func getRecord(key: Identifier) async throws -> SignedRecord? { try await inner.getRecord(key: key) }
    func holdings(of ids: [Identifier]) async -> [NodeHolding] { await inner.holdings(of: ids) }
    func postToInbox(_ entry: InboxEntry) async throws -> Bool { try await inner.postToInbox(entry) }
    func inboxEntries(owner: [UInt8]) async throws -> [InboxEntry] { try await inner.inboxEntries(owner: owner) }
    func removeFromInbox(_ removal: InboxRemoval) async throws { try await inner.removeFromInbox(removal) }
}
