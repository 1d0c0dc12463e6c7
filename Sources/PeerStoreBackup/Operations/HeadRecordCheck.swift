import ChordRing
import PeerStoreModel

/// What a client accepts as the head of one of its devices, as read back from the ring: a record under the head key
/// it asked for, signed by its own key, and no older than the newest seq it has seen for that device. Anything else
/// is what a stale or malicious holder would serve (another device's head, or an older signed one). No head at all is
/// taken as none (a new or wiped ring: refusing it would lock the device out for good); the next head then continues
/// above the last seen seq (`nextSeq`), so an older signed head cannot come back later either.
public enum HeadRecordCheck {
    /// The record if it may be taken as the head `key` of `device`; a clear error otherwise. `lastSeen` is the highest
    /// seq this client saw for that head (0: none).
    public static func check(_ record: SignedRecord?, key: Identifier, owner: [UInt8], device: String, lastSeen: UInt64) throws
        -> SignedRecord?
    {
        guard let record else { return nil }
        guard record.key == key else {
            throw BackupError(.staleHead, "the ring served another record than the head of device '\(device)': a node may be stale or malicious; try again later")
        }
        guard record.hasValidSignature, record.ownerKey == owner else {
            throw BackupError(.corruptBlock, "the head record of device '\(device)' has a bad signature; it was not written by you")
        }
        guard record.seq >= lastSeen else {
            throw BackupError(.staleHead, "the ring served an older head for device '\(device)' (seq \(record.seq), last seen \(lastSeen)): a node may be stale or malicious; try again later")
        }
        return record
    }

    /// Refuses a record this client saw (`lastSeen` > 0) that the ring does not serve, where taking it as none would
    /// undo what it holds (a sync head's version counters, the device list's entries); `what` names it for the message.
    public static func requireServed(_ record: SignedRecord?, lastSeen: UInt64, what: String) throws {
        guard record == nil, lastSeen > 0 else { return }
        throw BackupError(.staleHead, "the ring did not serve \(what) (last seen at seq \(lastSeen)): a node may be stale or restarting; nothing was changed, try again later (if the ring was emptied on purpose, delete the `heads` file in the client home)")
    }

    /// The seq of the next head: above both the head it replaces and any head this client saw.
    public static func nextSeq(previous: SignedRecord?, lastSeen: UInt64) -> UInt64 {
        max(previous?.seq ?? 0, lastSeen) + 1
    }
}
