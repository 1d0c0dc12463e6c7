import Foundation
import Logging
import PeerStoreCrypto

/// Shares one file of the latest snapshot with one user: finds it (the path rules of `getfile`), seals a grant for
/// that version to the recipient, posts it to their inbox and returns it with its token; with `follow`, remembers a
/// live share that later backups renew (`LiveShareRenewal`).
public struct FileSharer: Sendable {
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

    public struct Outcome: Sendable {
        public var grant: ShareGrant
        public var token: String
        /// The file's path as backed up (what `revoke -filename` takes).
        public var path: String
        /// The file on this machine differs from the shared version (changed since the backup).
        public var changedSinceBackup: Bool
    }

    public func share(_ filename: String, device: String, with recipient: [UInt8], message: String = "",
                      follow: Bool = false) async throws -> Outcome {
        _ = try RecipientKey.sealingKey(for: recipient)
        let catalog = SnapshotCatalog(client: ring, identity: identity, heads: HeadMemory(home: home))
        let snapshot = try await catalog.latest(device: device).snapshot
        let (components, entry) = try await Restorer(client: ring, identity: identity, logger: logger).fileEntry(filename, in: snapshot)
        let path = Self.absolutePath(root: snapshot.rootPath, components)
        let grant = Self.grant(of: entry, shareID: SecureRandom.bytes(ShareGrant.shareIDLength), version: 1,
                               from: identity, to: recipient, message: message)
        let sealed = try SealedShare.seal(grant, signer: identity.signing)
        try await ShareInbox(ring: ring, identity: identity).post(sealed, to: recipient, shown: UserID.encode(publicKey: recipient))
        if follow {
            var live = try LiveShares.load(from: home)
            live.add(LiveShares.Share(device: device, path: path, recipient: UserID.encode(publicKey: recipient),
                                      shareID: Hex.encode(grant.shareID), version: 1,
                                      contentDigest: LiveShares.digest(entry.content), message: message))
            try live.save(in: home)
        }
        let local = try? FileInfo.lstat(components.reduce(LocalPath(snapshot.rootPath)) { $0.appending($1) })
        let changed = local.map { $0.mtime != entry.mtime || $0.size != entry.size } ?? false
        return Outcome(grant: grant, token: ShareToken.encode(sealed), path: path, changedSinceBackup: changed)
    }

    static func grant(of entry: TreeEntry, shareID: [UInt8], version: UInt32, from identity: Identity, to recipient: [UInt8],
                      message: String) -> ShareGrant {
        ShareGrant(shareID: shareID, version: version, sender: identity.signing.publicKey, recipient: recipient,
                   time: Timestamp.nowNanoseconds(), name: entry.name, size: entry.size, mode: entry.mode & 0o777,
                   mtime: entry.mtime, message: message, content: entry.content)
    }

    /// The absolute path of `components` under `root`, names as `getfile` takes them (other bytes as `\xNN`).
    static func absolutePath(root: String, _ components: [FileName]) -> String {
        (root == "/" ? "" : root) + "/" + components.map(\.description).joined(separator: "/")
    }
}
