import ChordRing
import PeerStoreModel
import PeerStoreWire

/// Reads and publishes the sync heads of one folder: each device's head record (checked like a backup head, see
/// `HeadRecordCheck`), the snapshot it names and its folder state.
public struct SyncHeadStore: Sendable {
    public let client: any RingAccess
    public let identity: Identity
    public let heads: HeadMemory?
    public let folder: String

    /// A device's published head: the record (for compare-and-swap), the head and its state.
    public struct Published: Sendable {
        public var record: SignedRecord
        public var head: SyncHead
        public var state: FolderState
    }

    /// A lost compare-and-swap: another sync of this device published first.
    public struct Lost: Error {}

    public init(client: any RingAccess, identity: Identity, heads: HeadMemory?, folder: String) {
        self.client = client
        self.identity = identity
        self.heads = heads
        self.folder = folder
    }

    func salt(_ device: DeviceID) -> [UInt8] { SyncHead.salt(folder: folder, device: device.bytes, keys: identity.keys) }

    public func key(_ device: DeviceID) -> Identifier { SignedRecord.key(owner: identity.signing.publicKey, salt: salt(device)) }

    /// The device's head for this folder, if it published one.
    public func read(_ device: DeviceID, name: String) async throws -> Published? {
        guard let record = try await record(device, name: name) else { return nil }
        return try await open(record, name: name)
    }

    /// The device's head record for this folder, checked (`HeadRecordCheck`: signed by this user, not older than one
    /// this client saw; a head it saw must still be served), without its state.
    public func record(_ device: DeviceID, name: String) async throws -> SignedRecord? {
        let key = key(device)
        let lastSeen = try heads?.lastSeen(key) ?? 0
        let served = try await client.getRecord(key: key)
        // Unlike a backup head, a sync head this client saw must not read as none: a first-sync merge would restart the
        // device's counters, and older versions from other devices would then win over edits made here since.
        try HeadRecordCheck.requireServed(served, lastSeen: lastSeen, what: "the sync state of device '\(name)' for folder '\(folder)'")
        guard let record = try HeadRecordCheck.check(served, key: key, owner: identity.signing.publicKey,
                                                     device: "\(name)' folder '\(folder)", lastSeen: lastSeen)
        else { return nil }
        try heads?.remember(record.seq, for: key)
        return record
    }

    /// The head and state a checked head record names.
    public func open(_ record: SignedRecord, name: String) async throws -> Published {
        let head = try SyncHead.open(record.value, keys: identity.keys)
        let fetcher = BlockFetcher(client: client)
        var pieces: [[UInt8]] = []
        for id in head.pieces { pieces.append(try await fetcher.fetch(id, what: "the sync state of device '\(name)'")) }
        let state = try FolderStateCodec.open(pieces, keys: identity.keys)
        return Published(record: record, head: head, state: state)
    }

    /// Stores `state`'s blocks, then the head naming them and `snapshot`, with compare-and-swap on `previous`;
    /// `Lost` if another sync of this device got there first.
    /// Returns the new head's seq.
    @discardableResult
    public func publish(_ device: DeviceID, snapshot: Identifier, state: FolderState, time: Int64, previous: SignedRecord?) async throws -> UInt64 {
        let uploader = BlockUploader(client: client, leasing: .standard(client, identity))
        let pieces = try FolderStateCodec.seal(state, keys: identity.keys)
        for piece in pieces { try await uploader.add(id: piece.id, bytes: piece.bytes) }
        _ = try await uploader.finish()
        let value = try SyncHead(snapshot: snapshot, time: time, pieces: pieces.map(\.id)).sealedValue(keys: identity.keys)
        let record = try SignedRecord(signing: value, salt: salt(device),
                                      seq: HeadRecordCheck.nextSeq(previous: previous, lastSeen: try heads?.lastSeen(key(device)) ?? 0),
                                      with: identity.signing)
        do {
            try await client.putRecord(record, expectedSeq: previous?.seq ?? 0)
        } catch let error as WireError where error.code == .casFailed || error.code == .staleRecord {
            throw Lost()
        }
        try heads?.remember(record.seq, for: record.key)
        if let home = heads?.home, let previous, let old = try? SyncHead.open(previous.value, keys: identity.keys) {
            // The state pieces the previous head named and this one does not, for this home's next prune to release
            // (not now: another device's head may name the same piece, when their states are alike).
            // Best effort: the head has moved; a list that cannot be written only leaks those pieces.
            try? RetiredPieces(home: home).retire(previous: old.pieces, current: pieces.map(\.id))
        }
        return record.seq
    }
}
