import ChordRing
import PeerStoreModel
import PeerStoreWire

extension SnapshotCatalog {
    /// How often a head move is tried when a forget (or prune) rewrote the index under it.
    public static let maxHeadAttempts = 8

    /// The snapshot index `pointer` names (its pieces fetched a few at once); for a version 1 head, built from the
    /// parent chain (at most `SnapshotIndexCodec.maxEntries` snapshots; one fetch after another, since each snapshot
    /// names the next).
    public func index(of pointer: HeadPointer) async throws -> SnapshotIndex {
        if let pieces = pointer.index {
            let count = pieces.count
            let sealed = try await fetcher.fetchAll(pieces) { n in "snapshot index piece \(n + 1) of \(count)" }
            return try SnapshotIndexCodec.open(sealed, keys: identity.keys)
        }
        var index = SnapshotIndex()
        var next: Identifier? = pointer.snapshot
        var seen = Set<Identifier>()
        while let id = next {
            guard seen.insert(id).inserted, seen.count <= SnapshotIndexCodec.maxEntries else {
                // A history cut short here would lose its older snapshots at the next forget: refuse instead.
                throw BackupError(.badFormat, "the history of this device (an older format, read through each snapshot's parent) loops or is longer than \(SnapshotIndexCodec.maxEntries) snapshots; nothing was changed: run a backup with this build first, or report it")
            }
            let s = try await snapshot(id)
            index.add(.init(id: id, time: s.time))
            next = s.parent
        }
        return index
    }

    /// Moves the head to the new `snapshot` (taken at `time`), adding it to the device's index, with a seq above
    /// `previous` and the last seen seq, and compare-and-swap on `previous`. `previousIndex`, if given, is the index
    /// of `previous`'s head, read meanwhile (a backup reads it while it walks its folder). When a forget or prune
    /// rewrote the head meanwhile (same latest snapshot, another index), the snapshot is added to that index and the
    /// move tried again; another backup that got there first is an error (run this one again).
    ///
    /// A version 1 head whose parent chain cannot be read (a snapshot block missing or damaged) gets a version 1 head
    /// again, so the backup is stored; the notice returned says so (nil otherwise).
    @discardableResult
    public func moveHead(device: String, to snapshot: Identifier, time: Int64, previous: SignedRecord?,
                         previousIndex: Task<SnapshotIndex, any Error>? = nil) async throws -> String? {
        var base = try previous.map { (record: $0, pointer: try HeadPointer.open($0.value, keys: identity.keys)) }
        var prefetched = previousIndex
        for _ in 1...Self.maxHeadAttempts {
            var index: SnapshotIndex? = SnapshotIndex()
            var notice: String?
            if let base {
                do {
                    if let prefetched { index = try await prefetched.value } else { index = try await self.index(of: base.pointer) }
                } catch let error as BackupError where base.pointer.index == nil {
                    index = nil
                    notice = "the history of device '\(device)' (an older format, read through each snapshot's parent) could not be read (\(error.message)); this backup is stored, but forget cannot work on this history until that block is back: see `peerstore-client -operation check`"
                }
            }
            prefetched = nil
            index?.add(.init(id: snapshot, time: time))
            if try await publish(device: device, snapshot: snapshot, time: time, index: index, previous: base?.record) { return notice }
            let now = try await head(device: device)
            // Only a head that moved on to the same latest snapshot (a forget or prune) is merged with.
            guard let now, let was = base, now.record.seq != was.record.seq, now.pointer.snapshot == was.pointer.snapshot else {
                throw BackupError(
                    .concurrentBackup,
                    "another backup of this device ('\(device)') is running or just finished; nothing was lost: run this one again to store its changes")
            }
            base = now
        }
        throw BackupError(.concurrentBackup, "the history of device '\(device)' kept changing while this backup was stored; run it again")
    }

    /// Stores `index` and moves the head to it (compare-and-swap on `previous`); false when another writer moved the
    /// head first. Without an index, the head is written in version 1 (its history is the parent chain).
    public func publish(device: String, snapshot: Identifier, time: Int64, index: SnapshotIndex?, previous: SignedRecord?) async throws
        -> Bool
    {
        var pieceIDs: [Identifier]?
        if let index {
            let pieces = try SnapshotIndexCodec.seal(index, keys: identity.keys)
            let leasing = BlockLeasing.standard(client, identity)
            let have = try await leasing.haveBlocks(pieces.map(\.id))
            let missing = zip(pieces, have).filter { !$0.1 }.map(\.0)
            for piece in missing { try await client.putBlock(id: piece.id, bytes: piece.bytes) }
            try await leasing.leaseStored(missing.map(\.id))
            pieceIDs = pieces.map(\.id)
        }
        let value = try HeadPointer(snapshot: snapshot, time: time, index: pieceIDs).sealedValue(keys: identity.keys)
        let record = try SignedRecord(
            signing: value, salt: HeadPointer.salt(device: device, keys: identity.keys),
            seq: HeadRecordCheck.nextSeq(previous: previous, lastSeen: try heads?.lastSeen(headKey(device: device)) ?? 0),
            with: identity.signing)
        do {
            try await client.putRecord(record, expectedSeq: previous?.seq ?? 0)
        } catch let error as WireError where error.code == .casFailed || error.code == .staleRecord {
            // Pieces stored and leased for a head that never moved: retired, for prune to release (it keeps any a
            // head names).
            if let home = heads?.home { try? RetiredPieces(home: home).retire(previous: pieceIDs ?? [], current: []) }
            return false
        }
        try heads?.remember(record.seq, for: record.key)
        retire(previous: previous, current: pieceIDs ?? [])
        return true
    }

    /// After a head moved: the index pieces the previous head named and the new one does not are retired, for this
    /// home's next prune to release (`RetiredPieces`). Best effort: the head has moved, and a list that cannot be
    /// written only leaks those pieces (a prune then says what to do with the file).
    func retire(previous: SignedRecord?, current: [Identifier]) {
        guard let home = heads?.home, let previous, let old = try? HeadPointer.open(previous.value, keys: identity.keys).index else { return }
        try? RetiredPieces(home: home).retire(previous: old, current: current)
    }
}
