import Foundation
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// The client home's secret files cannot be redirected or widened by files someone planted, and a home that others
/// can write to is refused.
struct ClientHomeSecretsTests {
    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    func isRegularFile(_ path: String) throws -> Bool {
        try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType == .typeRegular
    }

    @Test func aSymlinkPlantedAtTheTempOrTargetNameIsNotFollowed() throws {
        let tmp = try TemporaryDirectory(prefix: "home-symlink")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        try home.ensureInitialised()
        let victim = tmp.sub("victim")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
        // At the temp name the writer used to pick (predictable: the pid), and at the target itself.
        try FileManager.default.createSymbolicLink(atPath: home.configPath + ".tmp-\(getpid())", withDestinationPath: victim)
        try FileManager.default.removeItem(atPath: home.configPath)
        try FileManager.default.createSymbolicLink(atPath: home.configPath, withDestinationPath: victim)

        try home.save(ClientConfig(device: "laptop"))
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: victim)), as: UTF8.self) == "precious")
        #expect(try isRegularFile(home.configPath))
        #expect(try mode(home.configPath) == 0o600)
        #expect(try home.loadConfig().device == "laptop")
    }

    @Test func aFileLeftAtTheTempNameDoesNotLendItsMode() throws {
        let tmp = try TemporaryDirectory(prefix: "home-mode")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        try SecretFileFixture.makeFolder(home.path, mode: 0o700)
        let planted = home.identityPath + ".tmp-\(getpid())"
        FileManager.default.createFile(atPath: planted, contents: Data("x".utf8))
        chmod(planted, 0o666)

        try home.ensureInitialised()
        #expect(try mode(home.identityPath) == 0o600)
        #expect(try mode(home.configPath) == 0o600)
        #expect(try mode(home.path) & 0o077 == 0)
    }

    @Test func aHomeThatOthersCanWriteToIsRefused() throws {
        let tmp = try TemporaryDirectory(prefix: "home-open")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        try home.ensureInitialised()
        for open in [0o777, 0o770, 0o702] {
            chmod(home.path, mode_t(open))
            for attempt in [{ _ = try home.loadIdentity() }, { _ = try home.loadConfig() }, { try home.save(ClientConfig(device: "d")) },
                            { _ = try home.ensureInitialised() }] {
                #expect {
                    try attempt()
                } throws: { error in
                    guard let e = error as? BackupError else { return false }
                    return e.code == .config && e.message.contains("chmod go-w") && !e.message.contains("\n")
                }
            }
        }
        chmod(home.path, 0o755)
        #expect(try home.loadIdentity().userID.hasPrefix("ps"))
    }
}

enum SecretFileFixture {
    static func makeFolder(_ path: String, mode: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, mode_t(mode))
    }
}
