/// A user's devices, as the ring keeps them (`DeviceRegistry`): for each its id, its name, when it last backed up,
/// and the folders it syncs with when each last synced. Times are nanoseconds since 1970 (as head pointers keep them).
public struct DeviceList: Equatable, Sendable {
    /// At most this many devices, and this many synced folders per device (the record must fit 4 KiB anyway).
    public static let maxDevices = 64
    public static let maxFolders = 64
    /// At most this many backup names per device.
    public static let maxBackupNames = 64
    /// A device or folder name in the list is at most this many bytes of UTF-8.
    public static let maxNameBytes = 255

    public struct Folder: Equatable, Sendable {
        /// The folder's name (the same on every device that syncs it; its path is per device and not kept here).
        public var name: String
        public var lastSynced: Int64

        public init(name: String, lastSynced: Int64) {
            self.name = name
            self.lastSynced = lastSynced
        }
    }

    public struct Device: Equatable, Sendable {
        public var id: DeviceID
        public var name: String
        /// The last backup this device registered; nil if none.
        public var lastBackup: Int64?
        /// The folders it syncs, sorted by name.
        public var folders: [Folder]
        /// Every backup name (head) it stored snapshots under, sorted: its `-device` names, and `<device>:<folder>`
        /// for syncs. Empty in a version 1 list.
        public var backupNames: [String]

        public init(id: DeviceID, name: String, lastBackup: Int64? = nil, folders: [Folder] = [], backupNames: [String] = []) {
            self.id = id
            self.name = name
            self.lastBackup = lastBackup
            self.folders = folders
            self.backupNames = backupNames
        }

        /// Adds a backup name (a head this device wrote) if it is not listed yet.
        public mutating func addBackupName(_ backupName: String) {
            guard !backupNames.contains(backupName) else { return }
            backupNames.append(backupName)
            backupNames.sort()
        }

        /// When this device last synced `folder`; nil if it never did.
        public func lastSynced(_ folder: String) -> Int64? {
            folders.first { $0.name == folder }?.lastSynced
        }

        /// The newest of its last backup and its folders' last syncs.
        public var lastSeen: Int64? {
            ([lastBackup].compactMap { $0 } + folders.map(\.lastSynced)).max()
        }
    }

    /// In the order they were first registered.
    public var devices: [Device]

    public init(devices: [Device] = []) {
        self.devices = devices
    }

    /// Every backup name the user's devices used (so a prune can find every head): the recorded ones, and for a
    /// version 1 list the device names and their sync names. Sorted, each once.
    public var allBackupNames: [String] {
        var names = Set<String>()
        for d in devices {
            names.formUnion(d.backupNames)
            if d.lastBackup != nil { names.insert(d.name) }
            for f in d.folders { names.insert("\(d.name):\(f.name)") }
        }
        return names.sorted()
    }

    public subscript(id: DeviceID) -> Device? {
        devices.first { $0.id == id }
    }

    /// The devices that sync `folder`, with when each last did.
    public func devices(syncing folder: String) -> [(device: Device, lastSynced: Int64)] {
        devices.compactMap { d in d.lastSynced(folder).map { (d, $0) } }
    }

    /// Another device with the same name as `id` (their heads, which are per name, would be one), if there is one.
    public func namesake(of id: DeviceID) -> Device? {
        guard let me = self[id] else { return nil }
        return devices.first { $0.id != id && $0.name == me.name }
    }

    /// Adds the device, or gives it its current name.
    public mutating func register(id: DeviceID, name: String) {
        if let i = devices.firstIndex(where: { $0.id == id }) {
            devices[i].name = name
        } else {
            devices.append(Device(id: id, name: name))
        }
    }

    /// Registers the device and records a backup at `time`.
    public mutating func recordBackup(id: DeviceID, name: String, at time: Int64) {
        register(id: id, name: name)
        let i = devices.firstIndex { $0.id == id }!
        devices[i].lastBackup = max(time, devices[i].lastBackup ?? time)
        devices[i].addBackupName(name)
    }

    /// Registers the device and records a sync of `folder` at `time`.
    public mutating func recordSync(id: DeviceID, name: String, folder: String, at time: Int64) {
        register(id: id, name: name)
        let i = devices.firstIndex { $0.id == id }!
        devices[i].addBackupName("\(name):\(folder)")
        if let f = devices[i].folders.firstIndex(where: { $0.name == folder }) {
            devices[i].folders[f].lastSynced = max(time, devices[i].folders[f].lastSynced)
        } else {
            devices[i].folders.append(Folder(name: folder, lastSynced: time))
            devices[i].folders.sort { $0.name < $1.name }
        }
    }

    /// Takes `folder` off the device's synced folders.
    public mutating func stopSyncing(id: DeviceID, folder: String) {
        guard let i = devices.firstIndex(where: { $0.id == id }) else { return }
        devices[i].folders.removeAll { $0.name == folder }
    }

    /// Takes the device off the list.
    public mutating func remove(id: DeviceID) {
        devices.removeAll { $0.id == id }
    }

    /// The one device whose id starts with `prefix` (hex, at least 4 digits, as `devices` shows them); a one-line
    /// error when none or several do.
    public func device(idPrefix prefix: String) throws -> Device {
        let prefix = prefix.lowercased()
        guard prefix.count >= 4, prefix.allSatisfy(\.isHexDigit) else {
            throw BackupError(.usage, "'\(prefix.prefix(40))' is not a device id: give the ID column of `-operation devices` (at least 4 hex digits)")
        }
        let found = devices.filter { $0.id.hex.hasPrefix(prefix) }
        guard found.count == 1 else {
            throw BackupError(.usage, found.isEmpty
                ? "no device with id \(prefix) in your device list: see `-operation devices`"
                : "\(found.count) devices have ids starting with \(prefix): give more digits (`-operation devices -json` shows them whole)")
        }
        return found[0]
    }
}
