import PeerStoreBackup

/// The `-json` summary of a backup: counts and sizes, one object after the progress lines.
struct BackupJSON: Encodable {
    var type = "summary"
    let snapshot: String
    /// True when -skipIfUnchanged stored no new snapshot (`snapshot` is then the latest one).
    let unchanged: Bool
    let files, directories, symlinks: Int
    let bytes: UInt64
    let filesRead: Int
    let bytesRead: UInt64
    let filesUnchanged, chunksReused, blocksSent: Int
    let bytesSent: UInt64
    let blocksOffered, excluded, skipped, changedWhileRead: Int
    let seconds: Double

    init(_ s: BackupSummary) {
        snapshot = "\(s.snapshotID)"
        unchanged = s.unchanged
        (files, directories, symlinks, bytes) = (s.files, s.directories, s.symlinks, UInt64(s.bytes))
        (filesRead, bytesRead, filesUnchanged, chunksReused) = (s.filesRead, UInt64(s.bytesRead), s.filesUnchanged, s.chunksReused)
        (blocksSent, bytesSent, blocksOffered) = (s.blocksSent, UInt64(s.bytesSent), s.blocksOffered)
        (excluded, skipped, changedWhileRead) = (s.excluded, s.skipped.count, s.changedWhileRead.count)
        seconds = (s.seconds * 1000).rounded() / 1000
    }
}

/// The `-json` summary of a restore.
struct RestoreJSON: Encodable {
    var type = "summary"
    let destination: String
    let files, directories, symlinks: Int
    let bytes: UInt64
    let failed: Int
    let seconds: Double

    init(_ s: RestoreSummary) {
        destination = s.destination
        (files, directories, symlinks, bytes, failed) = (s.files, s.directories, s.symlinks, UInt64(s.bytes), s.failed.count)
        seconds = (s.seconds * 1000).rounded() / 1000
    }
}

/// The `-json` report of `check`.
struct CheckJSON: Encodable {
    let blocks, nodes, minReplicas, maxReplicas, missing, replicas, belowReplicas, unreachableNodes: Int

    init(_ r: ReplicaCheck.Report) {
        (blocks, nodes, minReplicas, maxReplicas, missing) = (r.blocks, r.nodes, r.minReplicas, r.maxReplicas, r.missing)
        (replicas, belowReplicas, unreachableNodes) = (r.replicas ?? 0, r.belowReplicas, r.unreachableNodes.count)
    }
}
