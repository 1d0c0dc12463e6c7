import Foundation
import PeerStoreTestKit
import Testing

/// The command line a new user meets: mistakes are errors with one line that says what to do, the flags that say how
/// to reach the ring are remembered, and closed output never stops a node.
@Suite(.serialized)
struct CommandLineTests {
    /// swift-argument-parser reads an unknown single-dash word as a cluster of short flags; one with an `h` in it
    /// (`-snapshot` before it was a flag, `-datapath`) printed the help and exited 0, which a cron job takes for success.
    @Test func unknownFlagsAreErrorsAndHelpStillWorks() throws {
        let restore = try CommandRunner.run("peerstore-client", ["-operation", "restore", "-ghost", "X", "-filedest", "/nonexistent/d"])
        #expect(restore.status == 64, "\(restore.stdout)")
        #expect(restore.stderr.contains("Unknown option '-ghost'"), "\(restore.stderr)")
        #expect(!restore.stdout.contains("OVERVIEW"))
        let server = try CommandRunner.run("peerstore-server", ["-datapath", "/nonexistent/x"], timeout: 20)
        #expect(server.status == 64, "\(server.stdout)")
        #expect(server.stderr.contains("Unknown option '-datapath'"), "\(server.stderr)")
        for tool in ["peerstore-client", "peerstore-server"] {
            for flag in ["-h", "-help", "--help"] {
                let help = try CommandRunner.run(tool, [flag], timeout: 20)
                #expect(help.status == 0 && help.stdout.contains("OVERVIEW"), "\(tool) \(flag): \(help.stderr)")
            }
        }
        for tool in ["peerstore-client", "peerstore-server"] {
            let version = try CommandRunner.run(tool, ["-version"], timeout: 20)
            #expect(version.status == 0 && version.stdout.hasPrefix("\(tool) 0."), "\(version.stdout) \(version.stderr)")
        }
        let help = try CommandRunner.run("peerstore-client", ["-help"]).stdout
        for operation in ["init", "whoami", "backup", "getfile", "restore", "snapshots", "check", "genkey", "sync"] {
            #expect(help.contains("  \(operation) "), "the help does not list \(operation)")
        }
    }

    @Test func theHomeFollowsHOMEWhenPEERSTORE_HOMEIsUnset() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-home")
        defer { tmp.remove() }
        let r = try CommandRunner.run("peerstore-client", ["-operation", "init"], environment: ["HOME": tmp.sub("h"), "PEERSTORE_HOME": ""])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: tmp.sub("h/.peerstore/identity")))
        let other = try CommandRunner.run(
            "peerstore-client", ["-operation", "whoami"], environment: ["HOME": tmp.sub("h"), "PEERSTORE_HOME": tmp.sub("p")])
        #expect(other.status == 1, "PEERSTORE_HOME comes before HOME: \(other.stdout)")
    }

    /// `init -peerAddr P -networkKeyFile K` on a second machine: every later command needs neither flag.
    @Test func initRemembersTheAddressAndTheNetworkKey() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-remember")
        defer { tmp.remove() }
        let client = ClientHarness(home: tmp.sub("home"))
        let key = tmp.sub("ring.key")
        #expect(try client.run(["-operation", "genkey", "-networkKeyFile", key]).status == 0)
        let server = try ServerProcess(dataPath: tmp.sub("node"), extraArguments: ["-networkKeyFile", key])
        defer { server.stop() }
        let initialised = try client.run(["-operation", "init", "-peerAddr", server.address, "-networkKeyFile", key])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let list = try client.run(["-operation", "snapshots"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("no snapshots"), "\(list.stdout)")
        // A key file that cannot be read is refused at init, not remembered.
        let bad = try ClientHarness(home: tmp.sub("home2")).run(["-operation", "init", "-networkKeyFile", tmp.sub("missing.key")])
        #expect(bad.status == 1, "\(bad.stdout)")
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("home2/identity")))
    }

    /// A -peerAddr given on the command line is meant: it not answering is an error, even when another node this
    /// client knows would answer, and the error is one line a person can act on.
    @Test func aGivenPeerAddrThatDoesNotAnswerIsAnError() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-wrongpeer")
        defer { tmp.remove() }
        try FileManager.default.createDirectory(atPath: tmp.sub("src"), withIntermediateDirectories: true)
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        #expect(try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", tmp.sub("src")]).status == 0)
        let wrong = try client.run(["-operation", "snapshots", "-peerAddr", "127.0.0.1:1"])
        #expect(wrong.status == 1, "\(wrong.stdout)")
        #expect(wrong.stderr.contains("nothing listens on 127.0.0.1:1"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("SingleConnectionFailure") && !wrong.stderr.contains("errno"), "\(wrong.stderr)")
        #expect(wrong.stderr.split(separator: "\n").filter { !$0.contains("warning:") }.count == 1, "\(wrong.stderr)")
    }

    @Test func aTakenPortIsSaidPlainly() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-port")
        defer { tmp.remove() }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let second = try CommandRunner.run("peerstore-server", ["-addr", server.address, "-dataPath", tmp.sub("node2")], timeout: 30)
        #expect(second.status == 1)
        #expect(second.stderr.contains("port \(server.port) is taken"), "\(second.stderr)")
        #expect(!second.stderr.contains("errno"), "\(second.stderr)")
    }

    @Test func outOfRangeStorageFlagsAreRefusedInOneLine() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-server-flags")
        defer { tmp.remove() }
        for (flags, says) in [(["-compactBelow", "50"], "-compactBelow is a fraction from 0 to 1"),
                              (["-gracePeriod", "0"], "-gracePeriod must be at least 1 second")] {
            let run = try CommandRunner.run("peerstore-server", ["-addr", "127.0.0.1:0", "-dataPath", tmp.sub("node")] + flags, timeout: 30)
            #expect(run.status == 1, "\(flags)")
            #expect(run.stderr.contains(says) && run.stderr.split(separator: "\n").filter { !$0.contains("WARNING") }.count == 1, "\(run.stderr)")
        }
    }

    /// `peerstore-server ... | head -1`: the reader of its output goes away; the node must keep serving.
    @Test func closedOutputNeverStopsANode() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-pipe")
        defer { tmp.remove() }
        let port = try FreePort.loopback()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BinaryLocator.path(of: "peerstore-server"))
        process.arguments = ["-addr", "127.0.0.1:\(port)", "-dataPath", tmp.sub("node")]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try out.fileHandleForReading.close()
        try err.fileHandleForReading.close()
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        // A backup makes the node log; every line it writes goes to a pipe nobody reads.
        try FileManager.default.createDirectory(atPath: tmp.sub("src"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: tmp.sub("src/x")))
        var backup: CommandRunner.Result?
        for _ in 0..<100 where backup?.status != 0 && process.isRunning {
            usleep(100_000)
            backup = try ClientHarness(home: tmp.sub("home")).run(["-operation", "backup", "-peerAddr", "127.0.0.1:\(port)", "-localPath", tmp.sub("src")])
        }
        #expect(backup?.status == 0, "\(backup?.stderr ?? "")")
        #expect(process.isRunning, "the node stopped (status \(process.isRunning ? 0 : process.terminationStatus))")
        process.terminate()
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        #expect(!process.isRunning && process.terminationStatus == 0)
    }

    /// One node with the default 3 replicas holds one copy of everything: `check` says so and exits 4; with
    /// `-replicas 1` the same ring is complete.
    @Test func checkComparesWithTheRingsReplicaCount() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-check")
        defer { tmp.remove() }
        try FileManager.default.createDirectory(atPath: tmp.sub("src"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: tmp.sub("src/x")))
        for (replicas, expected) in [(3, Int32(4)), (1, Int32(0))] {
            let server = try ServerProcess(dataPath: tmp.sub("node\(replicas)"), extraArguments: ["-replicas", "\(replicas)"])
            defer { server.stop() }
            let client = ClientHarness(home: tmp.sub("home\(replicas)"))
            #expect(try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", tmp.sub("src")]).status == 0)
            let check = try client.run(["-operation", "check"])
            #expect(check.status == expected, "\(check.stdout) \(check.stderr)")
            #expect(check.stdout.contains(replicas == 3 ? "fewer than the ring's 3 copies" : "every block has the ring's 1 copies"), "\(check.stdout)")
            let json = try client.run(["-operation", "check", "-json"])
            let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Int]
            #expect(report?["replicas"] == replicas)
            #expect((report?["belowReplicas"] ?? -1) == (replicas == 3 ? report?["blocks"] : 0))
        }
    }

    /// The file cache through the real client (its behaviour is `FileCacheInMemoryTests`): the summary line says how
    /// many files were read and how many were not, and -noCache (or --noCache) reads every file again.
    @Test func noCacheWithOneOrTwoDashesReadsEveryFile() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-nocache")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        var old = [timespec(tv_sec: 1_600_000_000, tv_nsec: 0), timespec(tv_sec: 1_600_000_000, tv_nsec: 0)]
        for name in ["a.txt", "b.txt"] {
            try Data("content of \(name)".utf8).write(to: URL(fileURLWithPath: src + "/" + name))
            #expect(utimensat(AT_FDCWD, src + "/" + name, &old, 0) == 0)
        }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        for (extra, read, unchanged) in [([String](), 2, 0), ([], 0, 2), (["-noCache"], 2, 0), (["--noCache"], 2, 0)] {
            let r = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("\(read) files read") && r.stdout.contains("\(unchanged) files unchanged (not read)"),
                    "\(extra): \(r.stdout)")
        }
    }
}
