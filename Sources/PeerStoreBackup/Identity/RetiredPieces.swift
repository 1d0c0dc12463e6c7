import ChordRing
import Foundation
import PeerStoreCrypto

/// The blocks this client superseded and has still to release: the pieces of snapshot indexes and sync states that
/// a head it published no longer names (docs/retention.md part 5). Nothing walks to them from any head, so no walk
/// would find them; this home's prune releases them, keeping every piece a head names at T0 (two devices whose sync
/// states are alike share pieces), until the nodes say no lease stays (a release ends only leases renewed more than
/// B before, so that takes a day).
///
/// Kept in `retired` in the home (0600, written through `ClientHome.writeSecretFile`, under a flock): the line
/// `peerstore-retired 1`, then one block id (hex) per line, oldest first, at most `maxEntries` (past that the oldest
/// are forgotten: a leak, never a loss). Losing the file leaks those blocks; it never loses data.
public struct RetiredPieces: Sendable {
    public static let maxEntries = 50_000
    static let header = "peerstore-retired 1"
    public let home: ClientHome

    public init(home: ClientHome) {
        self.home = home
    }

    public var path: String { home.path + "/retired" }

    /// The ids waiting, oldest first.
    public func load() throws -> [Identifier] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard lines.first.map(String.init) == Self.header else {
            throw BackupError(.config, "\(path) is not a list of retired blocks (`\(Self.header)`); delete it (that only leaks a few blocks)")
        }
        lines.removeFirst()
        return try lines.map { line in
            guard let bytes = Hex.decode(String(line)), let id = Identifier(bytes: bytes) else {
                throw BackupError(.config, "\(path) has a line that is not a block id; delete the file (that only leaks a few blocks)")
            }
            return id
        }
    }

    /// Adds the pieces `previous` named that `current` does not.
    public func retire(previous: [Identifier], current: [Identifier]) throws {
        let now = Set(current)
        let gone = previous.filter { !now.contains($0) }
        guard !gone.isEmpty else { return }
        try update { ids in
            let known = Set(ids)
            ids += gone.filter { !known.contains($0) }
            if ids.count > Self.maxEntries { ids.removeFirst(ids.count - Self.maxEntries) }
        }
    }

    /// Releases every id waiting (but those in `keeping`, which a head names again) with `horizon` (unix seconds;
    /// now by default), and forgets those no lease of this user holds any more; returns how many it forgot.
    @discardableResult
    public func releaseDue(ring: any LeaseAccess, keys: SigningKeyPair, keeping: Set<Identifier> = [], horizon: UInt64? = nil) async throws
        -> Int
    {
        let waiting = try load().filter { !keeping.contains($0) }
        guard !waiting.isEmpty else { return 0 }
        let horizon = horizon ?? UInt64(max(0, Timestamp.nowNanoseconds() / 1_000_000_000))
        // The ring client batches the release per owner.
        let held = try await ring.release(waiting, horizon: horizon, signingWith: keys)
        let done = Set(zip(waiting, held).filter { !$0.1 }.map(\.0))
        try update { ids in ids.removeAll { done.contains($0) } }
        return done.count
    }

    private func update(_ change: (inout [Identifier]) -> Void) throws {
        try HomeFileLock.withLock(path) {
            var ids = try load()
            change(&ids)
            try home.writeSecretFile(path, Array(([Self.header] + ids.map { Hex.encode($0.bytes) }).joined(separator: "\n").utf8) + [10])
        }
    }
}
