import Foundation
import PeerStoreTestKit
import Testing

/// `-config FILE` on the real executables: the file's keys take effect, a flag on the command line wins over its key,
/// and a key that is not a flag is refused in one line naming the file, before anything runs.
@Suite(.serialized)
struct ConfigFileTests {
    @Test func theServerTakesItsFlagsFromTheFileAndTheCommandLineWins() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-config")
        defer { tmp.remove() }
        let file = tmp.sub("server.yaml")
        // dataPath is given on the command line too (ServerProcess passes -dataPath): that one wins.
        try "# a test node\nlogLevel: debug\nreplicas: 1\ndataPath: \(tmp.sub("not-this-one"))\n".write(toFile: file, atomically: true, encoding: .utf8)
        let server = try ServerProcess(dataPath: tmp.sub("node"), extraArguments: ["-config", file])
        let client = ClientHarness(home: tmp.sub("home"))
        try FileManager.default.createDirectory(atPath: tmp.sub("src"), withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: tmp.sub("src/a.txt")))
        let backup = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", tmp.sub("src"), "-quiet"])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(server.stop() == 0)
        let log = try String(contentsOfFile: server.logPath, encoding: .utf8)
        #expect(log.contains(" debug "), "logLevel came from the file")
        #expect(FileManager.default.fileExists(atPath: tmp.sub("node/segments")))
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("not-this-one")), "the command line's -dataPath won")
    }

    @Test func aKeyThatIsNotAFlagIsRefusedInOneLine() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-config-bad")
        defer { tmp.remove() }
        let file = tmp.sub("bad.yaml")
        try "replicas: 3\nreplicaz: 2\n".write(toFile: file, atomically: true, encoding: .utf8)
        for tool in ["peerstore-server", "peerstore-client"] {
            let r = try CommandRunner.run(tool, ["-config", file, "-version"])
            // The server has -replicas, so it names -replicaz (and suggests -replicas); the client has neither.
            #expect(r.status == 64, "\(tool): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(file) && r.stderr.contains("Unknown option '-replica"), "\(tool): \(r.stderr)")
            #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count <= 2, "\(r.stderr)")
        }
        let missing = try CommandRunner.run("peerstore-server", ["-config", tmp.sub("none.yaml"), "-version"])
        #expect(missing.status == 64 && missing.stderr.contains("cannot read -config"), "\(missing.stderr)")
    }
}
