import PeerStoreBackup

/// The `-json` summary of a sync round.
struct SyncJSON: Encodable {
    var type = "summary"
    let snapshot, snapshotDevice: String
    let devicesSeen, downloaded, deleted, renamed, conflicts, problems: Int
    let bytesDownloaded: UInt64
    let files, filesRead, blocksSent: Int
    let bytesSent: UInt64
    let seconds: Double

    init(_ s: SyncSummary) {
        (snapshot, snapshotDevice) = ("\(s.snapshotID)", s.snapshotDevice)
        (devicesSeen, downloaded, deleted, renamed, conflicts) = (s.devicesSeen, s.downloaded, s.deleted, s.renamed, s.conflicts)
        (problems, bytesDownloaded) = (s.problems.count, s.bytesDownloaded)
        (files, filesRead, blocksSent, bytesSent) = (s.scan.files, s.scan.filesRead, s.scan.blocksSent, UInt64(s.scan.bytesSent))
        seconds = (s.seconds * 1000).rounded() / 1000
    }
}
