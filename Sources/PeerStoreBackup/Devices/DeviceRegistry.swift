import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreWire

/// The user's device list on the ring: one record signed by the user, under a salt derived from the master key (keyed
/// BLAKE2b, so nodes cannot link it to the user's heads or to anything else), its value the list's encoding sealed
/// under a key derived from the master key (`SealedObject` kind `devices`). Updates are read-modify-write with
/// compare-and-swap on the record's seq, retried, so concurrent updates from several devices all survive.
public enum DeviceRegistry {
    /// How often `update` tries before giving up on a list that keeps changing under it.
    public static let maxAttempts = 12

    public static func salt(keys: KeyRing) -> [UInt8] {
        Blake2b.hash(Array("devices".utf8), outputLength: 32, key: keys.devicesSalt)
    }

    public static func key(identity: Identity) -> Identifier {
        SignedRecord.key(owner: identity.signing.publicKey, salt: salt(keys: identity.keys))
    }

    /// The list (empty if the user has none yet). With `heads`, a list older than one this client saw, or none where it
    /// saw one, is refused.
    public static func load(ring: any RingAccess, identity: Identity, heads: HeadMemory? = nil) async throws -> DeviceList {
        try await read(ring, identity, heads).list
    }

    /// Applies `change` to the newest list and stores the result with compare-and-swap, reading again and applying
    /// `change` again (it may run several times) whenever another update got there first. Returns the list stored; a
    /// `change` that changes nothing writes nothing. A list that would not fit a record is a clear error.
    @discardableResult
    public static func update(
        ring: any RingAccess, identity: Identity, heads: HeadMemory? = nil, _ change: (inout DeviceList) throws -> Void
    ) async throws -> DeviceList {
        for attempt in 1...maxAttempts {
            let (record, list) = try await read(ring, identity, heads)
            var changed = list
            try change(&changed)
            if changed == list { return list }
            let value = try seal(changed, keys: identity.keys)
            let seq = HeadRecordCheck.nextSeq(previous: record, lastSeen: try heads?.lastSeen(key(identity: identity)) ?? 0)
            let new = try SignedRecord(signing: value, salt: salt(keys: identity.keys), seq: seq, with: identity.signing)
            do {
                try await ring.putRecord(new, expectedSeq: record?.seq ?? 0)
                try heads?.remember(seq, for: new.key)
                return changed
            } catch let error as WireError where error.code == .casFailed || error.code == .staleRecord {
                // Another device (or run) updated the list first: back off a little, at random, and merge again.
                if attempt < maxAttempts { try await Task.sleep(for: .milliseconds(5 * attempt + Int(SecureRandom.uniform(20)))) }
            }
        }
        throw BackupError(.deviceRegistry, "the device list kept changing while this update was tried \(maxAttempts) times; try again")
    }

    /// The value for `list`: refused with a clear error if it would not fit a record.
    static func seal(_ list: DeviceList, keys: KeyRing) throws -> [UInt8] {
        let plain = try list.encoded()
        let overhead = SealedObject.headerSize + XChaCha20Poly1305.tagLength
        guard plain.count + overhead <= SignedRecord.maxValueLength else {
            throw BackupError(.deviceRegistry, "the device list would take \(plain.count + overhead) bytes, over the ring's \(SignedRecord.maxValueLength)-byte record limit; take devices you no longer use off it (`-operation devices -forget ID`) or stop syncing folders (`-operation sync -folder NAME -stop`), and try again")
        }
        return try SealedObject.seal(plain, kind: .devices, key: keys.devicesValue, nonce: SecureRandom.bytes(XChaCha20Poly1305.nonceLength))
    }

    static func open(_ value: [UInt8], keys: KeyRing) throws -> DeviceList {
        try DeviceList.decode(try SealedObject.open(value, kind: .devices, key: keys.devicesValue, what: "the device list"))
    }

    private static func read(_ ring: any RingAccess, _ identity: Identity, _ heads: HeadMemory?) async throws
        -> (record: SignedRecord?, list: DeviceList)
    {
        let key = key(identity: identity)
        let served = try await ring.getRecord(key: key)
        // A list this client saw must not read as empty: an update would then overwrite every other device's entry.
        try HeadRecordCheck.requireServed(served, lastSeen: try heads?.lastSeen(key) ?? 0, what: "your device list")
        guard let record = served else { return (nil, DeviceList()) }
        guard record.key == key, record.hasValidSignature, record.ownerKey == identity.signing.publicKey else {
            throw BackupError(.deviceRegistry, "the ring served a device list not signed by you: a node may be stale or malicious; try again later")
        }
        if let heads {
            let seen = try heads.lastSeen(key)
            guard record.seq >= seen else {
                throw BackupError(.staleHead, "the ring served an older device list (seq \(record.seq), last seen \(seen)): a node may be stale or malicious; try again later")
            }
            try heads.remember(record.seq, for: key)
        }
        return (record, try open(record.value, keys: identity.keys))
    }
}
