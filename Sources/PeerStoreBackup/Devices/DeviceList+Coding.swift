import NIOCore

/// The device list's bytes (sealed as the record's value by `DeviceRegistry`). Version 3:
/// `version u8 = 3 | devices u8 | per device: id 16 | name | lastBackup i64 (0 = none) |
/// folders u8 | per folder: name | lastSynced i64 | past names u8 | per past name: group |
/// retired u8 | per retired name: group` (the names of devices taken off the list), nothing after it;
/// a group (`BackupNameGroup`) is `name | bare u8 (0 or 1) | folders u8 | per folder: name`, and a name is
/// `length u8 (1...255) | UTF-8`. Names a device's current name and folders give are not stored.
/// Version 2 (each device's backup names as full strings after its folders) and version 1 (none) are still read.
/// Every count and length is bounded.
extension DeviceList {
    public static let formatVersion: UInt8 = 3

    /// The encoding; throws if a count or name is over its bound.
    public func encoded() throws -> [UInt8] {
        guard devices.count <= Self.maxDevices else { throw Self.tooMany("\(devices.count) devices (at most \(Self.maxDevices))") }
        var out = ByteBuffer()
        out.writeInteger(Self.formatVersion)
        out.writeInteger(UInt8(devices.count))
        for d in devices {
            out.writeBytes(d.id.bytes)
            try Self.writeName(d.name, into: &out)
            out.writeInteger(d.lastBackup ?? 0)
            guard d.folders.count <= Self.maxFolders else {
                throw BackupError(.deviceRegistry, "the device list cannot hold \(d.folders.count) synced folders on device '\(d.name)' (at most \(Self.maxFolders)); stop syncing one it no longer needs (`-operation sync -folder NAME -stop` there) and try again")
            }
            out.writeInteger(UInt8(d.folders.count))
            for f in d.folders {
                try Self.writeName(f.name, into: &out)
                out.writeInteger(f.lastSynced)
            }
            guard d.pastNames.count <= Self.maxPastNames else {
                throw Self.tooMany("\(d.pastNames.count) past names of device '\(d.name)' (at most \(Self.maxPastNames))")
            }
            try Self.writeGroups(d.pastNames, into: &out)
        }
        guard retired.count <= Self.maxRetired else { throw Self.tooMany("\(retired.count) retired names (at most \(Self.maxRetired))") }
        try Self.writeGroups(retired, into: &out)
        return Array(out.readableBytesView)
    }

    public static func decode(_ bytes: [UInt8]) throws -> DeviceList {
        func bad(_ why: String) -> BackupError { BackupError.badFormat("the device list", why) }
        var p = ByteBuffer(bytes: bytes)
        guard let version = p.readInteger(as: UInt8.self) else { throw bad("empty") }
        guard (1...formatVersion).contains(version) else {
            throw BackupError(.deviceRegistry, "the device list on the ring has format version \(version); this peerstore-client is too old for it: update it")
        }
        guard let count = p.readInteger(as: UInt8.self), Int(count) <= maxDevices else { throw bad("device count") }
        var list = DeviceList()
        for _ in 0..<count {
            guard let idBytes = p.readBytes(length: DeviceID.length), let id = DeviceID(bytes: idBytes) else { throw bad("truncated device id") }
            let name = try readName(&p, what: "device name")
            guard let backup = p.readInteger(as: Int64.self), let folderCount = p.readInteger(as: UInt8.self),
                Int(folderCount) <= maxFolders
            else { throw bad("truncated device or folder count") }
            var device = Device(id: id, name: name, lastBackup: backup == 0 ? nil : backup)
            for _ in 0..<folderCount {
                let folder = try readName(&p, what: "folder name")
                guard let synced = p.readInteger(as: Int64.self) else { throw bad("truncated folder") }
                device.folders.append(Folder(name: folder, lastSynced: synced))
            }
            if version == 2 {
                guard let names = p.readInteger(as: UInt8.self), Int(names) <= 64 else { throw bad("backup name count") }
                device.pastNames = device.pastNames(fromVersion2: try (0..<names).map { _ in try readName(&p, what: "backup name") })
            } else if version >= 3 {
                device.pastNames = try readGroups(&p, max: maxPastNames)
            }
            guard list[id] == nil else { throw bad("device \(id.short) listed twice") }
            list.devices.append(device)
        }
        if version >= 3 { list.retired = try readGroups(&p, max: maxRetired) }
        guard p.readableBytes == 0 else { throw bad("trailing bytes") }
        return list
    }

    static func writeGroups(_ groups: [BackupNameGroup], into out: inout ByteBuffer) throws {
        out.writeInteger(UInt8(groups.count))
        for g in groups {
            try writeName(g.name, into: &out)
            out.writeInteger(UInt8(g.bare ? 1 : 0))
            guard g.folders.count <= Int(UInt8.max) else { throw tooMany("\(g.folders.count) past folders of '\(g.name)' (at most 255)") }
            out.writeInteger(UInt8(g.folders.count))
            for f in g.folders { try writeName(f, into: &out) }
        }
    }

    static func readGroups(_ p: inout ByteBuffer, max: Int) throws -> [BackupNameGroup] {
        func bad(_ why: String) -> BackupError { BackupError.badFormat("the device list", why) }
        guard let count = p.readInteger(as: UInt8.self), Int(count) <= max else { throw bad("past name count") }
        return try (0..<count).map { _ in
            let name = try readName(&p, what: "past name")
            guard let bare = p.readInteger(as: UInt8.self), bare <= 1, let folders = p.readInteger(as: UInt8.self) else {
                throw bad("truncated past name")
            }
            return BackupNameGroup(name: name, bare: bare == 1, folders: try (0..<folders).map { _ in try readName(&p, what: "past folder") })
        }
    }

    private static func writeName(_ name: String, into out: inout ByteBuffer) throws {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maxNameBytes else { throw tooMany("a name of \(bytes.count) bytes (1 to \(maxNameBytes))") }
        out.writeInteger(UInt8(bytes.count))
        out.writeBytes(bytes)
    }

    private static func readName(_ p: inout ByteBuffer, what: String) throws -> String {
        guard let n = p.readInteger(as: UInt8.self), n > 0, let bytes = p.readBytes(length: Int(n)),
            let name = String(validating: bytes, as: UTF8.self)
        else { throw BackupError.badFormat("the device list", "bad \(what)") }
        return name
    }

    static func tooMany(_ what: String) -> BackupError {
        BackupError(.deviceRegistry, "the device list cannot hold \(what); take devices you no longer use off it (`-operation devices -forget ID`) and try again")
    }
}
