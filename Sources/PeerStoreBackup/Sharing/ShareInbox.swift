import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreWire

/// A user's inbox of shares as this client sees it: posting a sealed share to a recipient's inbox, listing one's own
/// (each entry opened and checked; the newest version of a live share once) and removing entries.
public struct ShareInbox: Sendable {
    public let ring: any RingAccess
    public let identity: Identity

    public init(ring: any RingAccess, identity: Identity) {
        self.ring = ring
        self.identity = identity
    }

    /// One share received: its newest version, and every inbox entry of it.
    public struct Received: Sendable {
        /// 1-based, in the order `list` gives.
        public var index: Int
        public var grant: ShareGrant
        public var sealed: [UInt8]
        /// Every entry of this share (all its versions), for `remove`.
        public var entryIDs: [Identifier]
        /// The entry of the newest version.
        public var newestEntryID: Identifier
    }

    /// Posts `sealed` to `recipient`'s inbox; an inbox at a cap is a one-line error to the sender.
    public func post(_ sealed: [UInt8], to recipient: [UInt8], shown: String) async throws {
        let entry = try InboxEntry(owner: recipient, sealed: sealed, posted: UInt64(Date().timeIntervalSince1970), signingWith: identity.signing)
        do {
            _ = try await ring.postToInbox(entry)
        } catch let error as WireError where error.code == .inboxFull {
            throw BackupError(.inboxFull, "nothing was shared with \(shown): \(error.message)")
        }
    }

    /// This user's shares, oldest first by their newest version, and how many entries were rejected (altered, not
    /// addressed to this user, or not shares at all).
    public func list() async throws -> (shares: [Received], rejected: Int) {
        let entries = try await ring.inboxEntries(owner: identity.signing.publicKey)
        var rejected = 0
        var byShare: [[UInt8]: Received] = [:]
        for entry in entries {
            guard entry.owner == identity.signing.publicKey, entry.hasValidSignature,
                let grant = try? SealedShare.open(entry.sealed, as: identity)
            else {
                rejected += 1
                continue
            }
            let key = grant.sender + grant.shareID
            var share = byShare[key] ?? Received(index: 0, grant: grant, sealed: entry.sealed, entryIDs: [], newestEntryID: entry.id)
            share.entryIDs.append(entry.id)
            if grant.version > share.grant.version {
                share.grant = grant
                share.sealed = entry.sealed
                share.newestEntryID = entry.id
            }
            byShare[key] = share
        }
        var shares = byShare.values.sorted {
            $0.grant.time != $1.grant.time ? $0.grant.time < $1.grant.time : $0.grant.shareID.lexicographicallyPrecedes($1.grant.shareID)
        }
        for i in shares.indices { shares[i].index = i + 1 }
        return (shares, rejected)
    }

    /// The share at `index` of `list`; a clear error if there is none.
    public func share(at index: Int) async throws -> Received {
        let shares = try await list().shares
        guard index >= 1, index <= shares.count else {
            throw BackupError(.usage, shares.isEmpty
                ? "your inbox is empty: there is no share \(index)"
                : "there is no share \(index) in your inbox (1 to \(shares.count)): run `peerstore-client -operation inbox` to list them")
        }
        return shares[index - 1]
    }

    /// Removes the entries of older versions of live shares, so that a file that changes often does not fill the
    /// sender's allowance in this inbox; returns how many. (A version's token, from `inbox -json`, still opens it.)
    public func pruneSuperseded(_ shares: [Received]) async throws -> Int {
        let old = shares.flatMap { s in s.entryIDs.filter { $0 != s.newestEntryID } }
        try await removeEntries(old)
        return old.count
    }

    /// Removes every entry (every version) of a share from this user's inbox.
    public func remove(_ share: Received) async throws {
        try await removeEntries(share.entryIDs)
    }

    /// Removes `ids` from this user's inbox, in signed removals of at most `InboxRemoval.maxIDs` each.
    private func removeEntries(_ ids: [Identifier]) async throws {
        for start in stride(from: 0, to: ids.count, by: InboxRemoval.maxIDs) {
            let batch = Array(ids[start..<min(start + InboxRemoval.maxIDs, ids.count)])
            try await ring.removeFromInbox(try InboxRemoval(ids: batch, signingWith: identity.signing))
        }
    }
}
