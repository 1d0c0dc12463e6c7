import ChordRing

/// What a sync round did, for the lines it prints and for tests.
public struct SyncSummary: Sendable {
    /// The snapshot of the folder as this round left it (restorable as device `<device>:<folder>`).
    public var snapshotID: Identifier = .zero
    /// The backup name its snapshots are under (`-device` for `snapshots`, `restore`).
    public var snapshotDevice = ""
    /// Other devices whose state of the folder this round read.
    public var devicesSeen = 0
    public var downloaded = 0
    public var bytesDownloaded: UInt64 = 0
    public var deleted = 0
    public var renamed = 0
    /// Conflict copies this round made (renamed here or fetched).
    public var conflicts = 0
    /// The local scan's backup (files read and uploaded, blocks sent).
    public var scan = BackupSummary(snapshotID: .zero)
    /// Paths that could not be updated, with the reason; the next round tries again.
    public var problems: [String] = []
    /// Whether this round published a new head (false when nothing changed here or elsewhere).
    public var published = false
    /// Whether the disk and every device's head were as the last clean round left them, so the states were not read.
    public var unchangedSinceLastRound = false
    /// The other devices' head seqs this round merged (`-watch` compares later polls with these).
    public var remoteSeqs: [DeviceID: UInt64] = [:]
    public var seconds: Double = 0

    public init() {}
}
