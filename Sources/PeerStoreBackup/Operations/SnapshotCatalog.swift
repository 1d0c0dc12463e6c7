import BlockStore
import ChordRing
import PeerStoreWire

/// Reads and moves a device's head, and walks its snapshot history.
public struct SnapshotCatalog: Sendable {
    public let client: RingClient
    public let identity: Identity
    public let fetcher: BlockFetcher

    public init(client: RingClient, identity: Identity) {
        self.client = client
        self.identity = identity
        self.fetcher = BlockFetcher(client: client)
    }

    public func headKey(device: String) -> Identifier {
        SignedRecord.key(owner: identity.signing.publicKey, salt: HeadPointer.salt(device: device, keys: identity.keys))
    }

    /// The device's head record and where it points, if it has one.
    public func head(device: String) async throws -> (record: SignedRecord, pointer: HeadPointer)? {
        guard let record = try await client.getRecord(key: headKey(device: device)) else { return nil }
        guard record.hasValidSignature, record.ownerKey == identity.signing.publicKey else {
            throw BackupError(.corruptBlock, "the head record of device '\(device)' has a bad signature; it was not written by you")
        }
        return (record, try HeadPointer.open(record.value, keys: identity.keys))
    }

    /// Moves the head to `snapshot`, with seq one above `previous` and compare-and-swap on it.
    public func moveHead(device: String, to snapshot: Identifier, time: Int64, previous: SignedRecord?) async throws {
        let value = try HeadPointer(snapshot: snapshot, time: time).sealedValue(keys: identity.keys)
        let record = try SignedRecord(
            signing: value, salt: HeadPointer.salt(device: device, keys: identity.keys), seq: (previous?.seq ?? 0) + 1,
            with: identity.signing)
        do {
            try await client.putRecord(record, expectedSeq: previous?.seq ?? 0)
        } catch let error as WireError where error.code == .casFailed {
            throw BackupError(
                .concurrentBackup,
                "another backup of this device ('\(device)') is running or just finished; nothing was lost: run this one again to store its changes")
        }
    }

    public func snapshot(_ id: Identifier) async throws -> Snapshot {
        try Snapshot.open(try await fetcher.fetch(id, what: "snapshot \(id.shortHex())"), keys: identity.keys)
    }

    /// The latest snapshot of `device`; a clear error if it has none.
    public func latest(device: String) async throws -> (id: Identifier, snapshot: Snapshot) {
        guard let head = try await head(device: device) else {
            throw BackupError(.noSnapshot, "no backup of device '\(device)' on this ring yet: run `peerstore-client -operation backup` first")
        }
        return (head.pointer.snapshot, try await snapshot(head.pointer.snapshot))
    }

    /// The device's snapshots, newest first (following parent links, at most `limit`).
    public func history(device: String, limit: Int = 1000) async throws -> [(id: Identifier, snapshot: Snapshot)] {
        guard let head = try await head(device: device) else { return [] }
        var out: [(Identifier, Snapshot)] = []
        var next: Identifier? = head.pointer.snapshot
        while let id = next, out.count < limit {
            let s = try await snapshot(id)
            out.append((id, s))
            next = s.parent
        }
        return out
    }

    public func tree(_ id: Identifier, what: String) async throws -> Tree {
        try Tree.open(try await fetcher.fetch(id, what: what), keys: identity.keys)
    }
}
