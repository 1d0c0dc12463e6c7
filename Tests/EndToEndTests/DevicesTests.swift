import Foundation
import PeerStoreTestKit
import Testing

/// A user's devices through real processes: the identity moved to a second home with export-identity and
/// import-identity (a wrong passphrase writes nothing), the second home restoring the first one's backup, and
/// `devices` listing both once each backed up (a backup registers its device).
@Suite(.serialized)
struct DevicesTests {
    static let passphrase = "a long test passphrase"

    func run(_ client: ClientHarness, _ arguments: [String], passphrase: String? = nil) throws -> CommandRunner.Result {
        try CommandRunner.run("peerstore-client", ["-home", client.home] + arguments,
                              environment: passphrase.map { ["PEERSTORE_PASSPHRASE": $0] } ?? [:])
    }

    func devicesJSON(_ client: ClientHarness) throws -> [[String: Any]] {
        let r = try client.run(["-operation", "devices", "-json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return try #require(object?["devices"] as? [[String: Any]], "\(r.stdout)")
    }

    @Test func moveTheIdentityRestoreOnTheOtherMachineAndListBothDevices() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-devices")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try TreeGenerator(settings: .approximately(2 << 20, seed: 3)).generate(into: src)
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let a = ClientHarness(home: tmp.sub("a")), b = ClientHarness(home: tmp.sub("b"))
        let backup = try a.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-device", "laptop", "-quiet"])
        #expect(backup.status == 0, "\(backup.stderr)")
        let listed = try devicesJSON(a)
        #expect(listed.map { $0["name"] as? String } == ["laptop"] && listed.first?["thisDevice"] as? Bool == true)
        #expect(listed.first?["lastBackup"] is String, "\(listed)")

        // Export: 0600, never over an existing file without -force, the passphrase never shown.
        let file = tmp.sub("me.export")
        let export = try run(a, ["-operation", "export-identity", "-filedest", file], passphrase: Self.passphrase)
        #expect(export.status == 0, "\(export.stderr)")
        var info = stat()
        #expect(stat(file, &info) == 0 && info.st_mode & 0o777 == 0o600)
        // (Refused before any passphrase is asked for: none is given here.)
        let again = try a.run(["-operation", "export-identity", "-filedest", file])
        #expect(again.status == 1 && again.stderr.contains("exists") && again.stderr.split(separator: "\n").count == 1, "\(again.stderr)")
        let forced = try run(a, ["-operation", "export-identity", "-filedest", file, "-force"], passphrase: Self.passphrase)
        #expect(forced.status == 0, "\(forced.stderr)")
        for r in [export, again, forced] { #expect(!(r.stdout + r.stderr).contains(Self.passphrase)) }

        // A wrong passphrase (from a file, as a script gives it): one line, exit 1, nothing written.
        let wrong = tmp.sub("wrong")
        try "not the passphrase\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let refused = try b.run(["-operation", "import-identity", "-filename", file, "-passphraseFile", wrong])
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(refused.stderr.contains("wrong passphrase") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: b.home + "/identity"))

        let imported = try run(b, ["-operation", "import-identity", "-filename", file, "-device", "desk"], passphrase: Self.passphrase)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(!(imported.stdout + imported.stderr).contains(Self.passphrase))
        let (idA, idB) = (try a.run(["-operation", "whoami"]), try b.run(["-operation", "whoami"]))
        #expect(idA.status == 0 && idA.stdout == idB.stdout && idA.stdout.hasPrefix("ps"), "\(idA.stdout) \(idB.stdout)")

        // B reads A's backup.
        let out = tmp.sub("restored")
        let restore = try b.run(["-operation", "restore", "-peerAddr", server.address, "-device", "laptop", "-filedest", out])
        #expect(restore.status == 0, "\(restore.stderr)")
        let diffs = TreeComparison.differences(src, out)
        #expect(diffs.isEmpty, "\(diffs.prefix(10))")

        // B is listed once it backed up; both homes see both, each marking itself.
        let notYet = try b.run(["-operation", "devices"])
        #expect(notYet.status == 0 && notYet.stdout.contains("laptop") && notYet.stdout.contains("not listed yet"), "\(notYet.stdout)")
        let srcB = tmp.sub("srcB")
        try FileManager.default.createDirectory(atPath: srcB, withIntermediateDirectories: true)
        try Data("desk".utf8).write(to: URL(fileURLWithPath: srcB + "/d.txt"))
        let backupB = try b.run(["-operation", "backup", "-localPath", srcB, "-quiet"])
        #expect(backupB.status == 0, "\(backupB.stderr)")
        for (home, me) in [(a, "laptop"), (b, "desk")] {
            let list = try devicesJSON(home)
            #expect(Set(list.compactMap { $0["name"] as? String }) == ["laptop", "desk"], "\(list)")
            #expect(list.filter { $0["thisDevice"] as? Bool == true }.map { $0["name"] as? String } == [me], "\(list)")
            #expect(Set(list.compactMap { $0["id"] as? String }).count == 2)
        }
        let text = try a.run(["-operation", "devices"])
        #expect(text.stdout.split(separator: "\n").contains { $0.hasPrefix("* laptop") } && text.stdout.contains("  desk"), "\(text.stdout)")

        // A third home with an identity of its own is not overwritten.
        let c = ClientHarness(home: tmp.sub("c"))
        #expect(try c.run(["-operation", "init", "-quiet"]).status == 0)
        let own = try #require(FileManager.default.contents(atPath: c.home + "/identity"))
        let clash = try run(c, ["-operation", "import-identity", "-filename", file], passphrase: Self.passphrase)
        #expect(clash.status == 1 && clash.stderr.contains("already has another identity") && clash.stderr.split(separator: "\n").count == 1,
                "\(clash.stderr)")
        #expect(FileManager.default.contents(atPath: c.home + "/identity") == own)
        // A fourth home under the same identity that takes a name already used is told so by its backup.
        let d = ClientHarness(home: tmp.sub("d"))
        #expect(try run(d, ["-operation", "import-identity", "-filename", file, "-quiet"], passphrase: Self.passphrase).status == 0)
        let twin = try d.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", srcB, "-device", "laptop"])
        #expect(twin.status == 0 && twin.stderr.contains("is also named 'laptop'"), "\(twin.stderr)")
        // The same identity again: nothing changes.
        let same = try run(b, ["-operation", "import-identity", "-filename", file], passphrase: Self.passphrase)
        #expect(same.status == 0 && same.stdout.contains("nothing changed"), "\(same.stdout) \(same.stderr)")
    }

    @Test func theDeviceNameIsCheckedRememberedAndARenameKeepsTheDevice() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-device-name")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: src + "/x.txt"))
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        for bad in ["", "two\nlines", String(repeating: "x", count: 65)] {
            let r = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-device", bad])
            #expect(r.status == 1 && r.stderr.contains("not a usable device name") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        #expect(try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-device", "old name", "-quiet"]).status == 0)
        // Remembered: the next backup and snapshots use it without -device.
        #expect(try client.run(["-operation", "backup", "-quiet"]).status == 0)
        let snapshots = try client.run(["-operation", "snapshots"])
        #expect(snapshots.stdout.split(separator: "\n").count == 3 && snapshots.stdout.contains("old name"), "\(snapshots.stdout)")
        // A read with -device does not change the remembered name.
        #expect(try client.run(["-operation", "snapshots", "-device", "elsewhere"]).status == 0)
        #expect(try devicesJSON(client).map { $0["name"] as? String } == ["old name"])
        // Renamed: the same device (one entry, same id) under its new name.
        let id = try devicesJSON(client).first?["id"] as? String
        #expect(try client.run(["-operation", "backup", "-device", "new name", "-quiet"]).status == 0)
        let list = try devicesJSON(client)
        #expect(list.map { $0["name"] as? String } == ["new name"] && list.first?["id"] as? String == id, "\(list)")
        // Forgotten: off the list (its snapshots stay), until its next backup lists it again.
        let forget = try client.run(["-operation", "devices", "-forget", String(try #require(id).prefix(8))])
        #expect(forget.status == 0 && forget.stdout.contains("took 'new name'"), "\(forget.stdout) \(forget.stderr)")
        #expect(try devicesJSON(client).isEmpty)
        let unknown = try client.run(["-operation", "devices", "-forget", "abcdef12"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no device with id abcdef12"), "\(unknown.stderr)")
        #expect(try client.run(["-operation", "snapshots", "-device", "new name"]).stdout.split(separator: "\n").count == 2)
    }
}
