import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// The device list stays small: names that can be derived (a device's current name, `<name>:<folder>` for the folders
/// it syncs) are not stored, so lists that fit the record limit in version 1 still fit, and no composed name is bounded.
@Suite struct DeviceListSizeTests {
    let ring = InMemoryRing()
    let me = Identity.generate()

    static func name(_ n: Int, bytes: Int) -> String {
        let s = "n\(n)-"
        return s + String(repeating: "x", count: bytes - s.count)
    }

    /// 8 devices with 12-byte names, each backing up and syncing 8 folders with 20-byte names.
    static var eightByEight: DeviceList {
        var list = DeviceList()
        for d in 0..<8 {
            let id = DeviceID(bytes: Array(repeating: UInt8(d), count: 16))!
            list.recordBackup(id: id, name: name(d, bytes: 12), at: 1)
            for f in 0..<8 { list.recordSync(id: id, name: name(d, bytes: 12), folder: name(f, bytes: 20), at: 2) }
        }
        return list
    }

    @Test func eightDevicesWithEightFoldersFitTheRecord() async throws {
        let list = Self.eightByEight
        // Version 1's size (2 + per device 16 + 13 + 8 + 1 + 8 * 29) plus one byte per device and one for the list.
        let v1 = 2 + 8 * (16 + 13 + 8 + 1 + 8 * 29)
        #expect(try list.encoded().count == v1 + 8 + 1)
        let stored = try await DeviceRegistry.update(ring: ring, identity: me) { $0 = list }
        #expect(stored.allBackupNames.count == 8 * 9)
        #expect(try await DeviceRegistry.load(ring: ring, identity: me) == list)
    }

    @Test func aDeviceSyncingSixtyFourFoldersThatBacksUpFits() async throws {
        var list = DeviceList()
        let id = DeviceID.random()
        list.recordBackup(id: id, name: "laptop", at: 1)
        for f in 0..<DeviceList.maxFolders { list.recordSync(id: id, name: "laptop", folder: "f\(f)", at: 2) }
        #expect(list.allBackupNames.count == DeviceList.maxFolders + 1)
        try await DeviceRegistry.update(ring: ring, identity: me) { $0 = list }
        #expect(try await DeviceRegistry.load(ring: ring, identity: me) == list)
    }

    @Test func aLongDeviceNameWithALongFolderNameFits() async throws {
        var list = DeviceList()
        let id = DeviceID.random()
        let device = String(repeating: "d", count: DeviceName.maxBytes), folder = String(repeating: "f", count: 255)
        list.recordSync(id: id, name: device, folder: folder, at: 2)
        try await DeviceRegistry.update(ring: ring, identity: me) { $0 = list }
        #expect(try await DeviceRegistry.load(ring: ring, identity: me).allBackupNames == ["\(device):\(folder)"])
    }
}
