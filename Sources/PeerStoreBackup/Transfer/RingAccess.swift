import ChordRing
import PeerStoreModel

/// What the client's operations need of the ring: blocks by id (from any holder but those a caller found bad),
/// have-blocks, signed records with compare-and-swap, users' inboxes, and, for `check`, what every node holds. `RingClient` is the
/// real one; `InMemoryRing` (PeerStoreTestKit) runs backup and restore in-process, with faults on request.
public protocol RingAccess: BlockSink, LeaseAccess {
    /// The block's bytes from a holder not in `excluding` and which holder sent them, or nil if no holder has it.
    func getBlock(id: Identifier, excluding: Set<Identifier>) async throws -> (bytes: [UInt8], from: Identifier)?
    /// As `getBlock(id:excluding:)`; `small`: the caller expects a small block (a whole small file), which a ring may
    /// fetch in a batch with others asked at the same time.
    func getBlock(id: Identifier, excluding: Set<Identifier>, small: Bool) async throws -> (bytes: [UInt8], from: Identifier)?
    /// Stores a record; with `expectedSeq`, only over that seq (compare-and-swap).
    @discardableResult
    func putRecord(_ record: SignedRecord, expectedSeq: UInt64?) async throws -> Bool
    /// The newest record under `key`, or nil.
    func getRecord(key: Identifier) async throws -> SignedRecord?
    /// For every node of the ring: which of `ids` it holds (nil if it did not answer) and its replica count.
    func holdings(of ids: [Identifier]) async -> [NodeHolding]
    /// Appends a sealed entry to its owner's inbox; false if it was there already.
    func postToInbox(_ entry: InboxEntry) async throws -> Bool
    /// The entries of `owner`'s inbox (from the first holder that answers).
    func inboxEntries(owner: [UInt8]) async throws -> [InboxEntry]
    /// Removes entries (the removal is signed by the owner).
    func removeFromInbox(_ removal: InboxRemoval) async throws
    /// Tells `holder` that the copy of block `id` it sent failed the client's check: whether it dropped its copy (nil:
    /// no answer). Best effort: never throws, and a ring that cannot be told (the default) answers nil.
    func reportBadBlock(id: Identifier, holder: Identifier) async -> Bool?
}

extension RingAccess {
    public func getBlock(id: Identifier, excluding: Set<Identifier>, small: Bool) async throws -> (bytes: [UInt8], from: Identifier)? {
        try await getBlock(id: id, excluding: excluding)
    }

    public func reportBadBlock(id: Identifier, holder: Identifier) async -> Bool? { nil }
}

/// One node's answer to `holdings(of:)`.
public struct NodeHolding: Sendable {
    public var address: String
    /// Per id asked, whether the node holds it; nil when the node did not answer.
    public var present: [Bool]?
    /// The node's `-replicas`, when it says.
    public var replicas: Int?

    public init(address: String, present: [Bool]?, replicas: Int?) {
        self.address = address
        self.present = present
        self.replicas = replicas
    }
}
