import Foundation
import PeerStoreTestKit
import Testing

/// Secret files are 0600 from their first byte whatever the umask, and the folders holding them are private.
@Suite(.timeLimit(.minutes(2)))
struct SecretFilesTests {
    /// Starts `binary` with `arguments` under umask 0 (through /bin/sh, so this process's umask is left alone).
    func startUnderUmaskZero(_ binary: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "umask 0; exec \"$0\" \"$@\"", try BinaryLocator.path(of: binary)] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    @Test func underUmaskZeroTheClientsAndTheNodesSecretsAre0600AndTheirFoldersPrivate() throws {
        let tmp = try TemporaryDirectory(prefix: "umask0")
        defer { tmp.remove() }
        let client = try startUnderUmaskZero("peerstore-client", ["-home", tmp.sub("home"), "-operation", "init"])
        client.waitUntilExit()
        #expect(client.terminationStatus == 0)
        #expect(try mode(tmp.sub("home")) == 0o700)
        #expect(try mode(tmp.sub("home/identity")) == 0o600)
        #expect(try mode(tmp.sub("home/config.json")) == 0o600)

        let server = try startUnderUmaskZero("peerstore-server", ["-addr", "127.0.0.1:0", "-dataPath", tmp.sub("data/node")])
        defer {
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: tmp.sub("data/node/node.key")) && server.isRunning && Date() < deadline {
            usleep(20_000)
        }
        #expect(try mode(tmp.sub("data/node/node.key")) == 0o600)
        #expect(try mode(tmp.sub("data/node")) == 0o700)
        kill(server.processIdentifier, SIGTERM)
    }

    @Test func aNodeRefusesADataFolderOthersCanWriteTo() throws {
        let tmp = try TemporaryDirectory(prefix: "open-data")
        defer { tmp.remove() }
        try FileManager.default.createDirectory(atPath: tmp.sub("node"), withIntermediateDirectories: true)
        chmod(tmp.sub("node"), 0o777)
        let result = try CommandRunner.run("peerstore-server", ["-addr", "127.0.0.1:0", "-dataPath", tmp.sub("node")], timeout: 30)
        #expect(result.status != 0)
        #expect(result.stderr.contains("chmod go-w"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("node/node.key")))
    }

    @Test func aSymlinkPlantedAtTheNodeKeysTempOrTargetNameIsNotFollowed() throws {
        let tmp = try TemporaryDirectory(prefix: "nodekey-symlink")
        defer { tmp.remove() }
        let data = tmp.sub("node")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        chmod(data, 0o700)
        try Data("precious".utf8).write(to: URL(fileURLWithPath: tmp.sub("victim")))
        // The temp name the node used to write through.
        try FileManager.default.createSymbolicLink(atPath: data + "/node.key.tmp", withDestinationPath: tmp.sub("victim"))
        let server = try ServerProcess(dataPath: data)
        server.stop()
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: tmp.sub("victim"))), as: UTF8.self) == "precious")
        let attributes = try FileManager.default.attributesOfItem(atPath: data + "/node.key")
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect((attributes[.posixPermissions] as! NSNumber).intValue == 0o600)
        #expect((attributes[.size] as! NSNumber).intValue == 42)
    }
}
