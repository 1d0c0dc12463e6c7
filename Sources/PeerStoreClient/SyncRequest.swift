import PeerStoreBackup

/// What a `sync` run is asked to do, from its flags, checked before anything touches the home or the ring: a flag
/// combination that makes no sense is a one-line usage error, and nothing is made.
enum SyncRequest: Equatable {
    case round(localPath: String, folder: String)
    case watch(localPath: String, folder: String, poll: Double)
    case stop(folder: String)

    static let defaultPoll: Double = 60
    /// A day: a longer poll would overflow the watcher's wait, and is a typo anyway.
    static let maxPoll: Double = 86_400

    init(_ flags: SyncFlags, localPath: String?, snapshots: [String] = []) throws {
        func usage(_ message: String) -> BackupError { BackupError(.usage, message) }
        guard snapshots.isEmpty else {
            throw usage("-snapshot is for restore and getfile; sync always works on the latest state (restore an earlier one with -operation restore -device DEVICE:FOLDER -snapshot ID)")
        }
        if flags.stop {
            guard let folder = flags.folder else {
                throw usage("sync -stop needs -folder NAME, the folder to stop syncing on this device: peerstore-client -operation sync -folder docs -stop")
            }
            try SyncRunner.checkFolder(folder)
            guard !flags.watch, flags.poll == nil else {
                throw usage("-stop does not go with -watch or -poll: it stops syncing -folder on this device and exits")
            }
            self = .stop(folder: folder)
            return
        }
        guard let localPath, let folder = flags.folder else {
            throw usage("sync needs -localPath DIR and -folder NAME (the same name on every device): peerstore-client -operation sync -localPath ~/Documents -folder docs")
        }
        try SyncRunner.checkFolder(folder)
        if let poll = flags.poll {
            guard flags.watch else {
                throw usage("-poll sets how often sync -watch looks for other devices' changes: add -watch, or leave -poll out")
            }
            guard poll > 0, poll <= Self.maxPoll else {
                throw usage("-poll must be a number of seconds above 0 and at most \(Int(Self.maxPoll)) (a day), as in -poll 30")
            }
        }
        self = flags.watch ? .watch(localPath: localPath, folder: folder, poll: flags.poll ?? Self.defaultPoll)
            : .round(localPath: localPath, folder: folder)
    }
}
