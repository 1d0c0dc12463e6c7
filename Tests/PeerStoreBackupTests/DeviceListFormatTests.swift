import PeerStoreBackup
import PeerStoreCrypto
import Testing

/// The device list's encoding (version 3, and versions 1 and 2 still read): round trip, pinned bytes, bounds, and the list's own rules.
@Suite struct DeviceListFormatTests {
    static let a = DeviceID(bytes: Array(0..<16))!
    static let b = DeviceID(bytes: Array(repeating: 0xab, count: 16))!

    static var sample: DeviceList {
        var list = DeviceList()
        list.recordBackup(id: a, name: "lap", at: 0x0102)
        list.recordSync(id: b, name: "büro", folder: "docs", at: 7)
        list.recordSync(id: b, name: "büro", folder: "art", at: 9)
        return list
    }

    @Test func roundTrip() throws {
        let list = Self.sample
        #expect(try DeviceList.decode(try list.encoded()) == list)
        #expect(list[Self.b]?.folders.map(\.name) == ["art", "docs"])
        #expect(list[Self.b]?.lastSynced("docs") == 7)
        #expect(list[Self.b]?.lastBackup == nil)
        #expect(list[Self.a]?.lastSeen == 0x0102)
        #expect(list.devices(syncing: "docs").map(\.device.id) == [Self.b])
    }

    static func name(_ s: String) -> String { String(format: "%02x", Array(s.utf8).count) + Hex.encode(Array(s.utf8)) }

    /// Version 1 as older builds wrote it: it still reads (no backup names recorded; they are inferred).
    @Test func pinnedBytesOfVersion1() throws {
        let hex = "0102" + "000102030405060708090a0b0c0d0e0f" + "03" + Hex.encode(Array("lap".utf8)) + "0000000000000102" + "00"
            + String(repeating: "ab", count: 16) + "05" + Hex.encode(Array("büro".utf8)) + "0000000000000000" + "02"
            + "03" + Hex.encode(Array("art".utf8)) + "0000000000000009" + "04" + Hex.encode(Array("docs".utf8)) + "0000000000000007"
        let old = try DeviceList.decode(Hex.decode(hex)!)
        #expect(old == Self.sample)
        #expect(old.allBackupNames == ["büro:art", "büro:docs", "lap"])
    }

    /// Version 2 as the code before version 3 wrote it: each device's backup names, whole, after its folders. It
    /// still reads, and the names the current name and folders give are not kept again.
    @Test func pinnedBytesOfVersion2() throws {
        let name = Self.name
        let hex = "0202" + "000102030405060708090a0b0c0d0e0f" + name("lap") + "0000000000000102" + "00" + "01" + name("lap")
            + String(repeating: "ab", count: 16) + name("büro") + "0000000000000000" + "02"
            + name("art") + "0000000000000009" + name("docs") + "0000000000000007" + "02" + name("büro:art") + name("büro:docs")
        #expect(try DeviceList.decode(Hex.decode(hex)!) == Self.sample)
    }

    /// A version 2 entry with old names, a folder it stopped syncing and a name with ':' of its own: every name reads
    /// again, grouped where a listed name is its start.
    @Test func version2PastNamesAreKeptWhole() throws {
        let name = Self.name
        let names = ["lap", "lap:gone", "old", "old:docs", "we:ird"]
        let hex = "0201" + "000102030405060708090a0b0c0d0e0f" + name("lap") + "0000000000000102" + "00"
            + String(format: "%02x", names.count) + names.map(name).joined()
        let list = try DeviceList.decode(Hex.decode(hex)!)
        #expect(list.allBackupNames == names)
        #expect(list[Self.a]?.pastNames == [BackupNameGroup(name: "lap", folders: ["gone"]), BackupNameGroup(name: "old", bare: true, folders: ["docs"]),
                                            BackupNameGroup(name: "we:ird", bare: true)])
        #expect(try DeviceList.decode(try list.encoded()) == list)
    }

    /// Version 3 as written today: only the names the current name and folders do not give, grouped by name.
    @Test func pinnedBytesOfVersion3() throws {
        let name = Self.name
        var list = Self.sample
        list.recordBackup(id: Self.a, name: "laptop", at: 9)
        let hex = "0302" + "000102030405060708090a0b0c0d0e0f" + name("laptop") + "0000000000000102" + "00" + "01" + name("lap") + "01" + "00"
            + String(repeating: "ab", count: 16) + name("büro") + "0000000000000000" + "02"
            + name("art") + "0000000000000009" + name("docs") + "0000000000000007" + "00" + "00"
        #expect(Hex.encode(try list.encoded()) == hex)
        #expect(try DeviceList.decode(Hex.decode(hex)!) == list)
        // Stopping a folder keeps its name; syncing it again takes it off the past names.
        list.stopSyncing(id: Self.b, folder: "docs")
        #expect(list[Self.b]?.pastNames == [BackupNameGroup(name: "büro", folders: ["docs"])])
        #expect(list.allBackupNames == ["büro:art", "büro:docs", "lap", "laptop"])
        #expect(try DeviceList.decode(try list.encoded()) == list)
        list.recordSync(id: Self.b, name: "büro", folder: "docs", at: 10)
        #expect(list[Self.b]?.pastNames == [])
    }

    /// Every backup name is kept, also after a rename (so a prune still finds the old name's head).
    @Test func backupNamesSurviveARename() throws {
        var list = Self.sample
        list.recordBackup(id: Self.a, name: "laptop", at: 9)
        list.recordBackup(id: Self.a, name: "laptop", at: 10)
        #expect(list[Self.a]?.backupNames == ["lap", "laptop"])
        #expect(list.allBackupNames == ["büro:art", "büro:docs", "lap", "laptop"])
        #expect(try DeviceList.decode(try list.encoded()) == list)
        var full = DeviceList()
        for n in 0...DeviceList.maxPastNames + 1 { full.recordBackup(id: Self.a, name: "d\(n)", at: 1) }
        #expect(throws: BackupError.self) { try full.encoded() }
    }

    @Test func malformedBytesAreRefused() throws {
        let bytes = try Self.sample.encoded()
        for n in 0..<bytes.count {
            #expect(throws: BackupError.self) { try DeviceList.decode(Array(bytes.prefix(n))) }
        }
        #expect(throws: BackupError.self) { try DeviceList.decode(bytes + [0]) }
        var newer = bytes
        newer[0] = 4
        #expect(throws: BackupError.self) { try DeviceList.decode(newer) }
        // The same device twice.
        var twice = DeviceList()
        twice.devices = [DeviceList.Device(id: Self.a, name: "x"), DeviceList.Device(id: Self.a, name: "y")]
        #expect(throws: BackupError.self) { try DeviceList.decode(try twice.encoded()) }
    }

    @Test func boundsAreEnforcedOnEncode() throws {
        var long = DeviceList()
        long.register(id: Self.a, name: String(repeating: "n", count: DeviceList.maxNameBytes + 1))
        #expect(throws: BackupError.self) { try long.encoded() }
        var many = DeviceList()
        for _ in 0...DeviceList.maxDevices { many.register(id: .random(), name: "d") }
        #expect(throws: BackupError.self) { try many.encoded() }
        // Too many folders on one device: the way out is to stop syncing one there, not to forget a device.
        var folders = DeviceList()
        for n in 0...DeviceList.maxFolders { folders.recordSync(id: Self.a, name: "laptop", folder: "f\(n)", at: 1) }
        let error = #expect(throws: BackupError.self) { try folders.encoded() }
        #expect(error?.message == "the device list cannot hold 65 synced folders on device 'laptop' (at most 64); stop syncing one it no longer needs (`-operation sync -folder NAME -stop` there) and try again")
    }

    @Test func registerRenamesAndTimesOnlyMoveForward() throws {
        var list = Self.sample
        list.register(id: Self.a, name: "laptop")
        list.recordBackup(id: Self.a, name: "laptop", at: 5)
        list.recordSync(id: Self.b, name: "büro", folder: "docs", at: 3)
        #expect(list.devices.map(\.name) == ["laptop", "büro"])
        #expect(list[Self.a]?.lastBackup == 0x0102)
        #expect(list[Self.b]?.lastSynced("docs") == 7)
        list.stopSyncing(id: Self.b, folder: "docs")
        #expect(list[Self.b]?.folders.map(\.name) == ["art"])
        #expect(list.namesake(of: Self.a) == nil)
        list.register(id: Self.b, name: "laptop")
        #expect(list.namesake(of: Self.a)?.id == Self.b && list.namesake(of: Self.b)?.id == Self.a)
        #expect(list.namesake(of: .random()) == nil)
        try list.remove(id: Self.a)
        #expect(list.devices.map(\.id) == [Self.b] && list.namesake(of: Self.b) == nil)
    }

    @Test func aDeviceIsFoundByAPrefixOfItsID() throws {
        let list = Self.sample
        #expect(try list.device(idPrefix: "0001").id == Self.a)
        #expect(try list.device(idPrefix: "ABAB").id == Self.b)
        #expect(throws: BackupError.self) { try list.device(idPrefix: "00") }  // too short
        #expect(throws: BackupError.self) { try list.device(idPrefix: "zzzz") }
        #expect(throws: BackupError.self) { try list.device(idPrefix: "ffff") }
        var twins = list
        twins.register(id: DeviceID(bytes: [0, 1] + Array(repeating: 9, count: 14))!, name: "twin")
        #expect(throws: BackupError.self) { try twins.device(idPrefix: "0001") }
        #expect(try twins.device(idPrefix: "000102").id == Self.a)
    }
}
