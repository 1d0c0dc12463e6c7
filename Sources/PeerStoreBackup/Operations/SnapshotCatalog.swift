import ChordRing
import PeerStoreModel
import PeerStoreWire

/// Reads and moves a device's head, and reads its snapshot history (the snapshot index the head names).
public struct SnapshotCatalog: Sendable {
    public let client: any RingAccess
    public let identity: Identity
    public let fetcher: BlockFetcher
    /// The newest head seq seen per device, if this client keeps it (the client home does): a head older than that is
    /// refused.
    public let heads: HeadMemory?

    public init(client: any RingAccess, identity: Identity, heads: HeadMemory? = nil) {
        self.client = client
        self.identity = identity
        self.fetcher = BlockFetcher(client: client)
        self.heads = heads
    }

    public func headKey(device: String) -> Identifier {
        SignedRecord.key(owner: identity.signing.publicKey, salt: HeadPointer.salt(device: device, keys: identity.keys))
    }

    /// The device's head record and where it points, if it has one (checked by `HeadRecordCheck`; a newer seq is
    /// remembered).
    public func head(device: String) async throws -> (record: SignedRecord, pointer: HeadPointer)? {
        let key = headKey(device: device)
        let served = try await client.getRecord(key: key)
        guard let record = try HeadRecordCheck.check(served, key: key, owner: identity.signing.publicKey, device: device,
                                                     lastSeen: try heads?.lastSeen(key) ?? 0)
        else { return nil }
        let pointer = try HeadPointer.open(record.value, keys: identity.keys)
        try heads?.remember(record.seq, for: key)
        return (record, pointer)
    }

    public func snapshot(_ id: Identifier) async throws -> Snapshot {
        try Snapshot.open(try await fetcher.fetch(id, what: "snapshot \(id.shortHex())"), keys: identity.keys)
    }

    /// The snapshots `ids` names, in order, fetched a few at once.
    public func snapshots(_ ids: [Identifier]) async throws -> [Snapshot] {
        let sealed = try await fetcher.fetchAll(ids) { n in "snapshot \(ids[n].shortHex())" }
        return try sealed.map { try Snapshot.open($0, keys: identity.keys) }
    }

    /// The latest snapshot of `device`; a clear error if it has none.
    public func latest(device: String) async throws -> (id: Identifier, snapshot: Snapshot) {
        guard let head = try await head(device: device) else {
            throw BackupError(.noSnapshot, "no backup of device '\(device)' on this ring yet: run `peerstore-client -operation backup` first")
        }
        return (head.pointer.snapshot, try await snapshot(head.pointer.snapshot))
    }

    /// The snapshot of `device` whose id starts with `prefix` (hex, as `snapshots` shows it); the latest with nil.
    public func chosen(device: String, prefix: String?) async throws -> (id: Identifier, snapshot: Snapshot) {
        guard let prefix = prefix?.lowercased() else { return try await latest(device: device) }
        var retained: [SnapshotIndex.Entry] = []
        if let head = try await head(device: device) { retained = try await index(of: head.pointer).retained }
        let matches = retained.filter { $0.id.hex.hasPrefix(prefix) }
        guard matches.count == 1 else {
            throw BackupError(.noSnapshot, matches.isEmpty
                ? "no snapshot of device '\(device)' has an id starting with \(prefix): see `peerstore-client -operation snapshots -device \(device)`"
                : "\(matches.count) snapshots of device '\(device)' have ids starting with \(prefix): give more of the id")
        }
        return (matches[0].id, try await snapshot(matches[0].id))
    }

    /// The device's retained snapshots, newest first (from its snapshot index; a version 1 head's from the parent
    /// chain), at most `limit`.
    public func history(device: String, limit: Int = 1000) async throws -> [(id: Identifier, snapshot: Snapshot)] {
        guard let head = try await head(device: device) else { return [] }
        let ids = try await index(of: head.pointer).retained.prefix(limit).map(\.id)
        return Array(zip(ids, try await snapshots(ids)))
    }

    public func tree(_ id: Identifier, what: String) async throws -> Tree {
        try Tree.open(try await fetcher.fetch(id, what: what), keys: identity.keys)
    }
}
