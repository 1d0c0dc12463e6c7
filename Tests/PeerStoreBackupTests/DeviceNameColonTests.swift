import Foundation
import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// A new device name must not contain ':': `laptop:Docs` would share its head with device `laptop`'s folder `Docs`.
@Suite struct DeviceNameColonTests {
    @Test func importingAsADeviceWithAColonIsRefused() throws {
        let tmp = try TemporaryDirectory(prefix: "device-colon")
        defer { tmp.remove() }
        let a = ClientHome(path: tmp.sub("a")), b = ClientHome(path: tmp.sub("b"))
        _ = try a.ensureInitialised()
        let file = tmp.sub("me.export")
        try IdentityTransfer(home: a).export(to: file, passphrase: "long enough", force: false, cost: IdentityExportTests.cheap)
        let bytes = try IdentityTransfer(home: b).readExport(file)
        let error = #expect(throws: BackupError.self) {
            try IdentityTransfer(home: b).importIdentity(bytes, path: file, passphrase: "long enough", device: "laptop:Docs")
        }
        #expect(error?.message.hasPrefix("-device 'laptop:Docs' cannot be a new device name: it contains ':'") == true)
        #expect(!FileManager.default.fileExists(atPath: b.identityPath))
    }

    @Test func aNewNameMustNotContainAColonButTheNameInUseKeepsWorking() throws {
        #expect(try DeviceName.checkNew("laptop", current: nil) == "laptop")
        #expect(try DeviceName.checkNew("laptop:Docs", current: "laptop:Docs") == "laptop:Docs")
        let error = #expect(throws: BackupError.self) { try DeviceName.checkNew("laptop:Docs", current: "laptop") }
        #expect(error?.message == "-device 'laptop:Docs' cannot be a new device name: it contains ':', and a synced folder's snapshots are named <device>:<folder>, so it could share their head; choose a name without ':'")
        #expect(throws: BackupError.self) { try DeviceName.checkNew("bad\n", current: "bad\n") }  // still a valid name first

        let tmp = try TemporaryDirectory(prefix: "device-colon-session")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        _ = try home.ensureInitialised()
        let renaming = ClientSession(home: home, options: SessionOptions(device: "laptop:Docs"))
        #expect(throws: BackupError.self) { try renaming.deviceConfig() }
        // Reading a synced folder's snapshots names them with ':' (`-device laptop:Docs`): allowed.
        #expect(try renaming.config().device == "laptop:Docs")
        // A home whose remembered name has ':' (from an older build) keeps acting under it.
        var config = try home.loadConfig()
        config.device = "old:name"
        try home.save(config)
        #expect(try ClientSession(home: home, options: SessionOptions(device: "old:name")).deviceConfig().device == "old:name")
        #expect(try ClientSession(home: home).deviceConfig().device == "old:name")
    }
}
