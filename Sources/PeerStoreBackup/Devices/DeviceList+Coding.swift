import NIOCore

/// The device list's bytes (sealed as the record's value by `DeviceRegistry`). Version 2:
/// `version u8 = 2 | devices u8 | per device: id 16 | nameLength u8 | name | lastBackup i64 (0 = none) |
/// folders u8 | per folder: nameLength u8 | name | lastSynced i64 | backup names u8 | per name: nameLength u8 | name`,
/// nothing after it. Version 1 (still read) has no backup names. Every count and length is bounded.
extension DeviceList {
    public static let formatVersion: UInt8 = 2

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
            guard d.backupNames.count <= Self.maxBackupNames else {
                throw Self.tooMany("\(d.backupNames.count) backup names on device '\(d.name)' (at most \(Self.maxBackupNames))")
            }
            out.writeInteger(UInt8(d.backupNames.count))
            for name in d.backupNames { try Self.writeName(name, into: &out) }
        }
        return Array(out.readableBytesView)
    }

    public static func decode(_ bytes: [UInt8]) throws -> DeviceList {
        func bad(_ why: String) -> BackupError { BackupError.badFormat("the device list", why) }
        var p = ByteBuffer(bytes: bytes)
        guard let version = p.readInteger(as: UInt8.self) else { throw bad("empty") }
        guard version == 1 || version == formatVersion else {
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
            if version >= 2 {
                guard let names = p.readInteger(as: UInt8.self), Int(names) <= maxBackupNames else { throw bad("backup name count") }
                device.backupNames = try (0..<names).map { _ in try readName(&p, what: "backup name") }
            }
            guard list[id] == nil else { throw bad("device \(id.short) listed twice") }
            list.devices.append(device)
        }
        guard p.readableBytes == 0 else { throw bad("trailing bytes") }
        return list
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
