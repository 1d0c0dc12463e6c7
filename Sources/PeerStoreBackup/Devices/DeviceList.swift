/// A user's devices, as the ring keeps them (`DeviceRegistry`): for each its id, its name, when it last backed up,
/// and the folders it syncs with when each last synced. Times are nanoseconds since 1970 (as head pointers keep them).
public struct DeviceList: Equatable, Sendable {
    /// At most this many devices, and this many synced folders per device (the record must fit 4 KiB anyway).
    public static let maxDevices = 64
    public static let maxFolders = 64
    /// At most this many groups of past backup names per device (`Device.pastNames`).
    public static let maxPastNames = 64
    /// At most this many groups of retired backup names (those of devices taken off the list).
    public static let maxRetired = 128
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
        /// The backup names it used that its current name and folders do not give (its old names after a rename,
        /// folders it stopped syncing), sorted by name. Empty in a version 1 list.
        public var pastNames: [BackupNameGroup]

        public init(id: DeviceID, name: String, lastBackup: Int64? = nil, folders: [Folder] = [], pastNames: [BackupNameGroup] = []) {
            self.id = id
            self.name = name
            self.lastBackup = lastBackup
            self.folders = folders
            self.pastNames = pastNames
        }

        /// The names its current name and folders give: the name if it backed up, and `<name>:<folder>`.
        public var derivedNames: BackupNameGroup {
            BackupNameGroup(name: name, bare: lastBackup != nil, folders: folders.map(\.name))
        }

        /// Every backup name (head) it stored snapshots under, sorted, each once: its `-device` names, and
        /// `<device>:<folder>` for syncs.
        public var backupNames: [String] {
            Array(Set(([derivedNames] + pastNames).flatMap(\.backupNames))).sorted()
        }

        /// Drops from `pastNames` what the current name and folders give again.
        mutating func tidy() {
            let derived = derivedNames
            pastNames = BackupNameGroup.merged(pastNames.map { group in
                guard group.name == derived.name else { return group }
                return BackupNameGroup(name: group.name, bare: group.bare && !derived.bare,
                                       folders: group.folders.filter { !derived.folders.contains($0) })
            }, [])
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

    /// The backup names of devices taken off the list (`remove`), grouped by name: their snapshots stay restorable
    /// with `-device`, so a prune must still find their heads. Nothing takes them off.
    public var retired: [BackupNameGroup]

    public init(devices: [Device] = [], retired: [BackupNameGroup] = []) {
        self.devices = devices
        self.retired = retired
    }

    /// Every backup name the user's devices used (so a prune can find every head): each listed device's, and those
    /// of devices taken off the list. Sorted, each once.
    public var allBackupNames: [String] {
        Array(Set(devices.flatMap(\.backupNames) + retired.flatMap(\.backupNames))).sorted()
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
            guard devices[i].name != name else { return }
            devices[i].pastNames = BackupNameGroup.merged(devices[i].pastNames, [devices[i].derivedNames])
            devices[i].name = name
            devices[i].tidy()
        } else {
            devices.append(Device(id: id, name: name))
        }
    }

    /// Registers the device and records a backup at `time`.
    public mutating func recordBackup(id: DeviceID, name: String, at time: Int64) {
        register(id: id, name: name)
        let i = devices.firstIndex { $0.id == id }!
        devices[i].lastBackup = max(time, devices[i].lastBackup ?? time)
        devices[i].tidy()
    }

    /// Registers the device and records a sync of `folder` at `time`.
    public mutating func recordSync(id: DeviceID, name: String, folder: String, at time: Int64) {
        register(id: id, name: name)
        let i = devices.firstIndex { $0.id == id }!
        if let f = devices[i].folders.firstIndex(where: { $0.name == folder }) {
            devices[i].folders[f].lastSynced = max(time, devices[i].folders[f].lastSynced)
        } else {
            devices[i].folders.append(Folder(name: folder, lastSynced: time))
            devices[i].folders.sort { $0.name < $1.name }
        }
        devices[i].tidy()
    }

    /// Takes `folder` off the device's synced folders.
    public mutating func stopSyncing(id: DeviceID, folder: String) {
        guard let i = devices.firstIndex(where: { $0.id == id }), devices[i].lastSynced(folder) != nil else { return }
        devices[i].pastNames = BackupNameGroup.merged(devices[i].pastNames, [BackupNameGroup(name: devices[i].name, folders: [folder])])
        devices[i].folders.removeAll { $0.name == folder }
        devices[i].tidy()
    }

    /// Takes the device off the list, its backup names into `retired`; a clear error, and no change, if they would
    /// not fit there.
    public mutating func remove(id: DeviceID) throws {
        guard let device = self[id] else { return }
        let kept = BackupNameGroup.merged(retired, [device.derivedNames] + device.pastNames)
        guard kept.count <= Self.maxRetired else {
            throw BackupError(.deviceRegistry, "cannot take '\(DeviceName.shown(device.name))' (id \(device.id.short)) off your device list: the list keeps the backup names of devices taken off it (so a prune keeps what their snapshots need) and would then hold \(kept.count) (at most \(Self.maxRetired)); nothing was changed, and leaving the device listed is harmless")
        }
        retired = kept
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
