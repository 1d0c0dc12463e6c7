import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// Taking a device off the list keeps its backup names (its heads stay restorable, so a prune must still find them).
@Suite struct DeviceListRetiredTests {
    static let a = DeviceListFormatTests.a, b = DeviceListFormatTests.b

    @Test func aForgottenDevicesBackupNamesStay() async throws {
        var list = DeviceListFormatTests.sample
        list.recordBackup(id: Self.a, name: "laptop", at: 9)
        let before = list.allBackupNames
        #expect(before == ["büro:art", "büro:docs", "lap", "laptop"])
        try list.remove(id: Self.a)
        try list.remove(id: Self.b)
        #expect(list.devices.isEmpty)
        #expect(list.allBackupNames == before)
        #expect(try DeviceList.decode(try list.encoded()) == list)
        // Through the ring, as `devices -forget` does it.
        let ring = InMemoryRing(), me = Identity.generate()
        try await DeviceRegistry.update(ring: ring, identity: me) { $0 = DeviceListFormatTests.sample }
        try await DeviceRegistry.update(ring: ring, identity: me) { try $0.remove(id: Self.b) }
        let stored = try await DeviceRegistry.load(ring: ring, identity: me)
        #expect(stored.devices.map(\.id) == [Self.a])
        #expect(stored.allBackupNames == ["büro:art", "büro:docs", "lap"])
    }
}

extension DeviceListRetiredTests {
    /// The retired names are bounded: a device whose names would not fit stays listed, with a clear error.
    @Test func retiredNamesAreBounded() throws {
        let full = (0..<DeviceList.maxRetired).map { BackupNameGroup(name: "old\($0)", bare: true) }
        var list = DeviceList(devices: DeviceListFormatTests.sample.devices, retired: full)
        #expect(try DeviceList.decode(try list.encoded()) == list)
        let before = list
        let error = #expect(throws: BackupError.self) { try list.remove(id: Self.a) }
        #expect(error?.message == "cannot take 'lap' (id 00010203) off your device list: the list keeps the backup names of devices taken off it (so a prune keeps what their snapshots need) and would then hold 129 (at most 128); nothing was changed, and leaving the device listed is harmless")
        #expect(list == before)
        // A device whose names are retired already fits.
        list.retired[0] = BackupNameGroup(name: "lap", bare: true)
        try list.remove(id: Self.a)
        #expect(list.devices.map(\.id) == [Self.b] && list.allBackupNames.contains("lap"))
        // More retired names than the bound are refused on decode, and on encode.
        #expect(try DeviceList().encoded() == [3, 0, 0])
        #expect(throws: BackupError.self) { try DeviceList.decode([3, 0, UInt8(DeviceList.maxRetired + 1)]) }
        var over = list
        over.retired = full + [BackupNameGroup(name: "zzz", bare: true)]
        #expect(throws: BackupError.self) { try over.encoded() }
    }
}
