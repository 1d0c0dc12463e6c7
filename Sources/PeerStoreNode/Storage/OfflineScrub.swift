import BlockStore
import Foundation
import Logging
import Metrics

/// `peerstore-server -operation scrub`: one pass over a stopped node's data path. Opening the store takes the data
/// path's lock, so a live node's folder is refused (`BlockStoreError.locked`); a damaged copy is dropped as the live
/// scrubber drops it, and the node's anti-entropy brings it back from a replica once the node runs again.
public enum OfflineScrub {
    /// Runs one pass reading at most `bytesPerSecond` (0: no limit).
    public static func run(dataPath: String, bytesPerSecond: Int = 0, logger: Logger,
                           metrics: any MetricsFactory = MetricsSystem.factory) async throws -> ScrubReport {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataPath + "/segments", isDirectory: &isFolder), isFolder.boolValue else {
            throw NodeError(.io, "\(dataPath) holds no node data (no segments folder): give the -dataPath of a node")
        }
        let store: BlockStore
        do {
            store = try BlockStore(path: dataPath, logger: logger, metrics: metrics)
        } catch let error as BlockStoreError where error.code == .locked {
            throw NodeError(.io, "\(error.message): stop that node first (a running node scrubs itself: -scrubInterval)")
        }
        defer { store.close() }
        let pace = ScrubPace(bytesPerSecond: bytesPerSecond)
        var report = await Scrubber(store: store, interval: nil, pace: pace, logger: logger, metrics: metrics).pass()
        report.damagedAtOpen = store.damagedEntriesAtOpen
        if report.complete { ScrubStamp(dataPath: dataPath).save(ScrubStamp.now()) }  // the node's next pass counts from here
        return report
    }
}
