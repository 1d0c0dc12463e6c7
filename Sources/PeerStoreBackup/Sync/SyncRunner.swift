import Foundation
import Logging

/// One sync round of a folder: a backup of it (so this device's files are uploaded with the same chunker, formats and
/// file cache as a backup, and the folder as it was is a snapshot), the other devices' states read from their sync
/// heads, `SyncMerge`, the plan carried out (`SyncApplier`), a second backup if the folder changed, then this device's
/// head published with compare-and-swap and the sync recorded in the device list. The snapshots are those of the
/// backup name `<device>:<folder>`, so `snapshots` and `restore` reach every synced state. Both backups skip a
/// snapshot that would store the folder as the last one does (`skipIfUnchanged`): a round that changed nothing here
/// writes no snapshot, moves no backup head and leaves the snapshot index as it is.
public final class SyncRunner: Sendable {
    public static let maxAttempts = 3
    /// What a scan leaves out: the temp files of fetches (`FileWriter`, symlinks here) an interrupted round left.
    static let scanExcludes = ExcludeRules(patterns: [TempName.excludePattern])
    public let client: any RingAccess
    public let identity: Identity
    let logger: Logger
    let progress: TransferProgress?
    let heads: HeadMemory?

    public init(client: any RingAccess, identity: Identity, logger: Logger, progress: TransferProgress? = nil, heads: HeadMemory? = nil) {
        self.client = client
        self.identity = identity
        self.logger = logger
        self.progress = progress
        self.heads = heads
    }

    /// A clear error unless `folder` can name a synced folder.
    public static func checkFolder(_ folder: String) throws {
        guard !folder.isEmpty, folder.utf8.count <= SyncHead.maxFolderName, !folder.contains("/") else {
            throw BackupError(.usage, "-folder must be a name of 1 to \(SyncHead.maxFolderName) bytes without '/', the same on every device")
        }
    }

    /// The backup name of a synced folder's snapshots.
    public static func snapshotDevice(device: String, folder: String) -> String { "\(device):\(folder)" }

    /// Syncs `localPath` as folder `folder` of this device (`id`, named `name`); `cache` as for a backup (of the name
    /// `snapshotDevice`). A round that lost its compare-and-swap is run again (at most `maxAttempts` in all).
    public func run(localPath: String, folder: String, id: DeviceID, name: String, cache: FileCacheStore?) async throws -> SyncSummary {
        try Self.checkFolder(folder)
        for attempt in 1...Self.maxAttempts {
            do {
                return try await round(localPath: localPath, folder: folder, id: id, name: name, cache: cache)
            } catch is SyncHeadStore.Lost where attempt < Self.maxAttempts {
                logger.notice("sync head changed during the round; merging again", metadata: ["attempt": "\(attempt)"])
            } catch is SyncHeadStore.Lost {
                break
            }
        }
        throw BackupError(.concurrentBackup, "another sync of this device's folder '\(folder)' kept publishing first (is this client home copied to another machine?); run this one again")
    }

    private func round(localPath: String, folder: String, id: DeviceID, name: String, cache: FileCacheStore?) async throws -> SyncSummary {
        let started = Date()
        var summary = SyncSummary()
        summary.snapshotDevice = Self.snapshotDevice(device: name, folder: folder)
        let root = try BackupRunner.canonicalRoot(localPath)
        let backup = BackupRunner(client: client, identity: identity, logger: logger, progress: progress, heads: heads)
        let store = SyncHeadStore(client: client, identity: identity, heads: heads, folder: folder)
        let home = heads?.home
        let memo = home.flatMap { SyncMemo.load(home: $0, folder: folder) }
        // The heads are read while the scan runs: on two cores, fetching and decoding the states overlaps the scan.
        async let reading = SyncRoundInputs.read(
            store, id: id, name: name, devices: try await DeviceRegistry.load(ring: client, identity: identity, heads: heads), memo: memo)
        summary.scan = try await backup.run(localPath: root, device: summary.snapshotDevice, excludes: Self.scanExcludes, cache: cache, scan: true,
                                             skipIfUnchanged: true)
        summary.snapshotID = summary.scan.snapshotID
        let scan = summary.scan.scanned ?? [:]
        let inputs = try await reading
        summary.devicesSeen = inputs.remotes.filter { $0.record != nil }.count
        summary.remoteSeqs = inputs.seqs
        if let memo, let mine = inputs.mine, memo == SyncMemo(own: mine.seq, root: summary.scan.rootTree, remotes: inputs.seqs) {
            // Nothing changed here or elsewhere since the last clean round: merging the same inputs changes nothing.
            summary.unchangedSinceLastRound = true
            await recordSync(id: id, name: name, folder: folder, into: &summary)
            summary.seconds = Date().timeIntervalSince(started)
            return summary
        }
        let states: SyncRoundInputs.States
        if let opened = inputs.states { states = opened } else { states = try await inputs.open(store, name: name) }
        let mine = states.mine
        let outcome = SyncMerge.merge(device: id.bytes, previous: mine?.state ?? FolderState(), scan: scan, remotes: states.remotes)

        let restorer = Restorer(client: client, identity: identity, logger: logger, progress: progress, heads: heads)
        var applier = SyncApplier(root: LocalPath(root), scan: scan, restorer: restorer)
        let applied = await applier.apply(outcome.plan)
        summary.downloaded = applied.downloaded
        summary.bytesDownloaded = applied.bytesDownloaded
        summary.deleted = applied.deleted
        summary.renamed = applied.renamed
        summary.problems = applied.problems
        summary.conflicts = outcome.plan.touchedPaths.filter {
            $0.name.bytes.firstRange(of: Array(ConflictName.marker.utf8)) != nil && scan[$0] == nil && !applied.failed.contains($0)
        }.count
        var rootTree = summary.scan.rootTree
        if applied.downloaded + applied.deleted + applied.renamed > 0 {
            let again = try await backup.run(localPath: root, device: summary.snapshotDevice, excludes: Self.scanExcludes, cache: cache,
                                             skipIfUnchanged: true)
            (summary.snapshotID, rootTree) = (again.snapshotID, again.rootTree)
        }
        let now = Timestamp.nowNanoseconds()
        // A round that changed nothing here or elsewhere leaves the head as it is (its snapshot holds the same tree), so
        // other devices' polls see no change.
        var own = mine?.record.seq ?? 0
        if mine == nil || outcome.changed || !outcome.plan.actions.isEmpty {
            own = try await store.publish(id, snapshot: summary.snapshotID, state: outcome.publishing(failed: applied.failed), time: now,
                                          previous: mine?.record)
            summary.published = true
        }
        await recordSync(id: id, name: name, folder: folder, into: &summary)
        if let home {
            // Only a clean round may let the next one skip the merge: a path left undone must be tried again.
            if applied.problems.isEmpty && applied.failed.isEmpty {
                try? SyncMemo(own: own, root: rootTree, remotes: inputs.seqs).save(home: home, folder: folder)
            } else {
                SyncMemo.forget(home: home, folder: folder)
            }
        }
        summary.seconds = Date().timeIntervalSince(started)
        logger.info("sync round done", metadata: [
            "snapshot": "\(summary.snapshotID)", "downloaded": "\(summary.downloaded)", "deleted": "\(summary.deleted)",
            "conflicts": "\(summary.conflicts)", "problems": "\(summary.problems.count)"])
        return summary
    }

    /// Records in the device list that this device synced the folder now. The round's work is done by then, so a
    /// list that cannot be updated is a note in the summary (`scan.notices`), not a failure; the next round tries again.
    private func recordSync(id: DeviceID, name: String, folder: String, into summary: inout SyncSummary) async {
        let now = Timestamp.nowNanoseconds()
        do {
            try await DeviceRegistry.update(ring: client, identity: identity, heads: heads) {
                $0.recordSync(id: id, name: name, folder: folder, at: now)
            }
        } catch {
            logger.notice("device list not updated after a sync round", metadata: ["error": "\(error)"])
            summary.scan.notices.append("the sync round is done, but the device list was not updated (\(error)); the next round tries again")
        }
    }
}
