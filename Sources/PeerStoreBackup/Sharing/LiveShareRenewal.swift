import ChordRing
import Foundation
import Logging
import PeerStoreCrypto

/// After a backup: posts the new version of every live share's file (of that device) whose content changed to its
/// recipient's inbox, and remembers the version. Nothing here fails the backup: a file no longer in the snapshot, an
/// inbox at its cap or a ring that refuses is a note, and the share is tried again after the next backup.
public struct LiveShareRenewal: Sendable {
    public let ring: any RingAccess
    public let identity: Identity
    public let home: ClientHome
    let logger: Logger

    public init(ring: any RingAccess, identity: Identity, home: ClientHome, logger: Logger) {
        self.ring = ring
        self.identity = identity
        self.home = home
        self.logger = logger
    }

    /// What it did: versions posted, and notes for the user.
    public struct Outcome: Sendable {
        public var posted = 0
        public var notes: [String] = []
    }

    /// Renews the live shares of `device` after its backup stored `snapshotID` (fetched only if there are any). Never
    /// throws: whatever goes wrong is a note.
    public func renew(after snapshotID: Identifier, device: String) async -> Outcome {
        var outcome = Outcome()
        do {
            var live = try LiveShares.load(from: home)
            guard live.shares.contains(where: { $0.device == device }) else { return outcome }
            let snapshot = try await SnapshotCatalog(client: ring, identity: identity).snapshot(snapshotID)
            for i in live.shares.indices where live.shares[i].device == device {
                do {
                    if try await renew(&live.shares[i], in: snapshot) { outcome.posted += 1 }
                } catch {
                    let share = live.shares[i]
                    outcome.notes.append("the live share of \(share.path) with \(share.recipient) was not renewed (it is tried again after the next backup): \(error)")
                }
            }
            if outcome.posted > 0 { try live.save(in: home) }
        } catch {
            outcome.notes.append("live shares were not renewed (they are tried again after the next backup): \(error)")
        }
        return outcome
    }

    /// Posts the file's version in `snapshot` if its content changed since `share` last posted; true if it did.
    private func renew(_ share: inout LiveShares.Share, in snapshot: Snapshot) async throws -> Bool {
        let entry = try await Restorer(client: ring, identity: identity, logger: logger).fileEntry(share.path, in: snapshot).entry
        let digest = LiveShares.digest(entry.content)
        guard digest != share.contentDigest else { return false }
        guard let recipient = UserID.decode(share.recipient), let shareID = Hex.decode(share.shareID),
            shareID.count == ShareGrant.shareIDLength
        else {
            throw BackupError(.config, "its entry in \(LiveShares.path(in: home)) is damaged")
        }
        let grant = FileSharer.grant(of: entry, shareID: shareID, version: share.version + 1, from: identity, to: recipient,
                                     message: share.message)
        try await ShareInbox(ring: ring, identity: identity)
            .post(try SealedShare.seal(grant, signer: identity.signing), to: recipient, shown: share.recipient)
        share.version = grant.version
        share.contentDigest = digest
        return true
    }
}
