import ChordRing
import PeerStoreModel
import PeerStoreTestKit

@testable import PeerStoreBackup

/// An `InMemoryRing` whose next record put first runs `hook` (another client's backup or forget, on the inner ring):
/// the race of two writers of one head, made to happen at the worst moment.
actor HookedRing: ForwardingRing {
    nonisolated let inner: InMemoryRing
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

}
