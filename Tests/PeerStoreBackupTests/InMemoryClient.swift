import ChordRing
import Foundation
import Logging
import PeerStoreBackup
import PeerStoreTestKit

/// One user's client in a temporary folder (home, identity, `src`) doing what `peerstore-client` does, in-process and
/// against an `InMemoryRing`: backups with the file cache and head memory, restores, getfile. For the end-to-end cases
/// whose point is the library, not the command line.
struct InMemoryClient {
    let tmp: TemporaryDirectory
    let ring = InMemoryRing()
    let identity: Identity
    let home: ClientHome
    let device: String

    init(prefix: String, device: String = "in-memory") throws {
        tmp = try TemporaryDirectory(prefix: prefix)
        home = ClientHome(path: tmp.sub("home"))
        // As the client's first backup does: the home folder and an identity in it.
        identity = try home.ensureInitialised().0
        self.device = device
    }

    var src: String { tmp.sub("src") }
    var cachePath: String { tmp.sub("home/cache/files-\(device)") }

    /// A backup of `src` (as `backup -localPath src`, or with `reuseCache: false` as `-noCache`) to `ring`, by default
    /// this client's.
    func backup(excludes: ExcludeRules = ExcludeRules(), reuseCache: Bool = true, skipIfUnchanged: Bool = false,
                to other: (any RingAccess)? = nil) async throws -> BackupSummary {
        try await BackupRunner(client: other ?? ring, identity: identity, logger: Logger(label: "test"), heads: HeadMemory(home: home)).run(
            localPath: src, device: device, excludes: excludes, cache: FileCacheStore(home: home, device: device, keys: identity.keys),
            reuseCache: reuseCache, skipIfUnchanged: skipIfUnchanged)
    }

    func catalog(_ other: InMemoryRing? = nil) -> SnapshotCatalog {
        SnapshotCatalog(client: other ?? ring, identity: identity, heads: HeadMemory(home: home))
    }

    func restorer(_ other: InMemoryRing? = nil) -> Restorer {
        Restorer(client: other ?? ring, identity: identity, logger: Logger(label: "test"), heads: HeadMemory(home: home))
    }

    /// `restore -filedest destination [-force]` of the latest snapshot.
    func restore(to destination: String, force: Bool = false, from other: InMemoryRing? = nil) async throws -> RestoreSummary {
        let snapshot = try await catalog(other).latest(device: device).snapshot
        return try await restorer(other).restoreAll(snapshot, to: destination, force: force)
    }

    /// `getfile -filename name -filedest destination` from the latest snapshot.
    func getfile(_ name: String, to destination: String) async throws -> RestoreSummary {
        let snapshot = try await catalog().latest(device: device).snapshot
        return try await restorer().restoreFile(name, from: snapshot, to: destination, force: false)
    }

    /// The root tree of every snapshot of the device, oldest first.
    func rootTrees() async throws -> [String] {
        try await catalog().history(device: device).reversed().map(\.snapshot.rootTree.hex)
    }

    /// Damages the ring's largest block (a chunk of the largest file), which must have at least `atLeast` bytes.
    func damageLargestBlock(atLeast: Int) async throws {
        var largest: (id: Identifier, size: Int)?
        for id in await ring.blockIDs {
            let size = await ring.bytes(of: id)?.count ?? 0
            if size > (largest?.size ?? 0) { largest = (id, size) }
        }
        guard let largest, largest.size >= atLeast else {
            throw TestKitError("the largest block has \(largest?.size ?? 0) bytes, fewer than \(atLeast)")
        }
        await ring.damage(largest.id)
    }
}

/// A small corpus with every kind of entry the generator makes (as the end-to-end suite's).
func smallCorpus(seed: UInt64 = 7) -> TreeGenerator.Settings {
    var s = TreeGenerator.Settings.approximately(16 << 20, seed: seed)
    s.bigRandomSize = 6 << 20
    s.bigTextSize = 3 << 20
    s.bigRandomFiles = 1
    s.smallFiles = 1200
    s.smallMax = 16 << 10
    return s
}
