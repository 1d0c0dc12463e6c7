import Foundation
import Logging

/// `getfile -share TOKEN|INDEX`: opens the share (a token, or the index of an entry in this user's inbox) and restores
/// the one file it grants with `getfile`'s guarantees: every block verified, a temp file renamed only when whole, no
/// overwrite without `force`. A share that does not open writes nothing.
public struct SharedFileRestore: Sendable {
    public let ring: any RingAccess
    public let identity: Identity
    let logger: Logger
    let progress: TransferProgress?

    public init(ring: any RingAccess, identity: Identity, logger: Logger, progress: TransferProgress? = nil) {
        self.ring = ring
        self.identity = identity
        self.logger = logger
        self.progress = progress
    }

    /// The grant `spec` names: a token (checked and opened) or an inbox index.
    public func grant(_ spec: String) async throws -> ShareGrant {
        let text = spec.trimmingCharacters(in: .whitespacesAndNewlines)
        if let index = Int(text) { return try await ShareInbox(ring: ring, identity: identity).share(at: index).grant }
        return try SealedShare.open(try ShareToken.decode(text), as: identity)
    }

    /// Restores what `grant` shares to `destination` (a file path, or an existing folder to put it in).
    public func restore(_ grant: ShareGrant, to destination: String, force: Bool) async throws -> RestoreSummary {
        try await Restorer(client: ring, identity: identity, logger: logger, progress: progress)
            .restoreEntry(grant.entry, shown: grant.name.description, to: destination, force: force)
    }
}
