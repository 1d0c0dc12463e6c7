import Foundation
import Logging

/// `sync -watch`: a round, then another whenever the folder changes, during a round included (inotify, settled for half a second but at most
/// `settleCap` seconds, so a folder written all the time still syncs) or another device published a new head for the
/// folder (looked at every `poll` seconds), until the process is stopped. A round that fails (the ring unreachable,
/// say) is reported and the next change or poll tries again.
public struct SyncWatch: Sendable {
    public let runner: SyncRunner
    public let localPath: String
    public let folder: String
    public let id: DeviceID
    public let name: String
    public let cache: FileCacheStore?
    public let poll: Double
    /// How long a change may keep settling before the round runs anyway.
    public let settleCap: Double
    public static let maxSettle: Double = 10
    /// How folders are watched (inotify's unless a test gives another).
    public let addWatch: FolderWatcher.AddWatch

    public init(runner: SyncRunner, localPath: String, folder: String, id: DeviceID, name: String, cache: FileCacheStore?, poll: Double,
                settleCap: Double = SyncWatch.maxSettle, addWatch: @escaping FolderWatcher.AddWatch = FolderWatcher.inotifyAddWatch) {
        (self.runner, self.localPath, self.folder, self.id, self.name, self.cache, self.poll) = (runner, localPath, folder, id, name, cache, poll)
        (self.settleCap, self.addWatch) = (settleCap, addWatch)
    }

    /// Runs rounds for ever (or `rounds` of them, returning after the last), handing each outcome to `report` and,
    /// once per folder, a line about folders that cannot be watched (their changes wait for the next poll) to `warn`.
    public func run(rounds: Int = .max, warn: (String) -> Void = { _ in }, report: (Result<SyncSummary, Error>) -> Void) async throws {
        let root = try BackupRunner.canonicalRoot(localPath)
        let watcher = try FolderWatcher(root: root, addWatch: addWatch)
        if let line = watcher.takeWarning(poll: poll) { warn(line) }
        for round in 0..<rounds {
            if Task.isCancelled { return }
            // The seqs the round merged: a head published while it ran is then a change to the first poll.
            var merged: [DeviceID: UInt64]?
            do {
                let summary = try await runner.run(localPath: root, folder: folder, id: id, name: name, cache: cache)
                merged = summary.remoteSeqs
                report(.success(summary))
            } catch {
                report(.failure(error))
            }
            if round == rounds - 1 { return }
            watcher.rearm(root)
            if let line = watcher.takeWarning(poll: poll) { warn(line) }
            // Events that came during the round are kept: some may be the round's own writes, but one may be a change
            // made meanwhile, which must not wait for an unrelated event. The extra round finds the tree as the memo
            // says and costs about a no-change backup.
            var seen = merged
            if seen == nil { seen = try? await runner.remoteSeqs(folder: folder, id: id) }
            while !Task.isCancelled {
                if watcher.wait(seconds: poll) {
                    watcher.settle(quiet: 0.5, cap: settleCap)
                    break
                }
                if let now = try? await runner.remoteSeqs(folder: folder, id: id), now != seen { break }
            }
        }
    }
}

extension SyncRunner {
    /// The seq of every other device's head for `folder` (what changes when one publishes).
    public func remoteSeqs(folder: String, id: DeviceID) async throws -> [DeviceID: UInt64] {
        let store = SyncHeadStore(client: client, identity: identity, heads: nil, folder: folder)
        var out: [DeviceID: UInt64] = [:]
        for device in try await DeviceRegistry.load(ring: client, identity: identity).devices(syncing: folder) where device.device.id != id {
            out[device.device.id] = try await client.getRecord(key: store.key(device.device.id))?.seq ?? 0
        }
        return out
    }
}
