import Foundation
import PeerStoreTestKit
import Testing

/// Two "hosts" for a test: network namespaces joined by a veth pair, each with its own address on 10.213.0.0/24. Made
/// by the test and removed by `remove()`; traffic stays between the two namespaces. Needs root and iproute2.
final class TwoHosts {
    static let addresses = ["10.213.0.1", "10.213.0.2"]
    let names: [String]
    private let links: [String]
    private let ip: String

    init() throws {
        guard getuid() == 0 else {
            throw TestKitError("the multi-host test makes network namespaces and needs root (CI runs as root): run the tests as root")
        }
        guard let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { throw TestKitError("the multi-host test needs `ip` (Debian package iproute2)") }
        self.ip = ip
        let tag = String(getpid() % 100_000)
        names = ["ps\(tag)-a", "ps\(tag)-b"]
        links = ["vps\(tag)a", "vps\(tag)b"]
        do {
            for name in names { try run(["netns", "add", name]) }
            try run(["link", "add", links[0], "type", "veth", "peer", "name", links[1]])
            for i in 0..<2 {
                try run(["link", "set", links[i], "netns", names[i]])
                try run(["-n", names[i], "addr", "add", Self.addresses[i] + "/24", "dev", links[i]])
                try run(["-n", names[i], "link", "set", links[i], "up"])
                try run(["-n", names[i], "link", "set", "lo", "up"])
            }
        } catch {
            remove()
            throw error
        }
    }

    /// The launcher that runs a program on host `i`.
    func on(_ i: Int) -> [String] { [ip, "netns", "exec", names[i]] }

    /// Takes host `i`'s end of the link down (a partition: nothing passes either way) or up again.
    func setLink(_ i: Int, up: Bool) throws {
        try run(["-n", names[i], "link", "set", links[i], up ? "up" : "down"])
    }

    /// Removes the namespaces (and with them the veth pair); a veth still in this namespace goes too. Processes must be
    /// stopped first.
    func remove() {
        for name in names { try? run(["netns", "delete", name]) }
        try? run(["link", "delete", links[0]])
    }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ip)
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestKitError("ip \(arguments.joined(separator: " ")) failed: \(text)")
        }
    }
}

/// A ring across two hosts, as a real deployment has it: no 127.0.0.1 anywhere.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct MultiHostTests {
    @Test func aBackupOnOneHostRestoresOnAnother() async throws {
        let tmp = try TemporaryDirectory(prefix: "hosts")
        defer { tmp.remove() }
        let hosts = try TwoHosts()
        var servers: [ServerProcess] = []
        defer {
            for s in servers { s.stop() }
            hosts.remove()
        }
        let (a, b) = (TwoHosts.addresses[0] + ":3001", TwoHosts.addresses[1] + ":3001")
        // The first listens on every interface and says where it is reached; the second listens on its address.
        servers.append(try ServerProcess(
            dataPath: tmp.sub("a"), extraArguments: ["-advertiseAddr", a, "-stabilizeInterval", "0.2"], listen: "0.0.0.0:3001",
            launcher: hosts.on(0), host: TwoHosts.addresses[0]))
        servers.append(try ServerProcess(
            dataPath: tmp.sub("b"), extraArguments: ["-initialPeerAddr", a, "-stabilizeInterval", "0.2"], listen: b,
            launcher: hosts.on(1), host: TwoHosts.addresses[1]))

        // The ring, seen from host b: both nodes under the addresses they are reached at.
        let deadline = Date().addingTimeInterval(30)
        var table = ""
        while Date() < deadline {
            let status = try CommandRunner.run("peerstore-server", ["-operation", "status", "-peerAddr", b], timeout: 20, launcher: hosts.on(1))
            table = status.stdout
            if status.status == 0 && table.split(separator: "\n").count == 3 && table.contains(a) && table.contains(b) { break }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(table.split(separator: "\n").count == 3 && table.contains(a) && table.contains(b), "\(table)")
        #expect(!table.contains("0.0.0.0") && !table.contains("127.0.0.1"), "\(table)")

        // Back up on host a, through node a.
        var settings = TreeGenerator.Settings.approximately(6 << 20, seed: 51)
        settings.smallFiles = 100
        let src = tmp.sub("src")
        try TreeGenerator(settings: settings).generate(into: src)
        let homeA = tmp.sub("home-a")
        let backup = try CommandRunner.run("peerstore-client", ["-home", homeA, "-operation", "backup", "-peerAddr", a, "-localPath", src],
                                           timeout: 120, launcher: hosts.on(0))
        #expect(backup.status == 0, "\(backup.stderr)")

        // Host b has a copy of the user's home (the identity), and reaches only its own node.
        let homeB = tmp.sub("home-b")
        try FileManager.default.copyItem(atPath: homeA, toPath: homeB)
        let check = try CommandRunner.run("peerstore-client", ["-home", homeB, "-operation", "check", "-json", "-peerAddr", b],
                                          timeout: 60, launcher: hosts.on(1))
        let report = check.stdout.split(separator: "\n").last
            .flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Int] } ?? [:]
        #expect(report["nodes"] == 2 && report["minReplicas"] == 2 && report["missing"] == 0, "\(check.stdout) \(check.stderr)")
        let out = tmp.sub("restored")
        let restore = try CommandRunner.run("peerstore-client", ["-home", homeB, "-operation", "restore", "-peerAddr", b, "-filedest", out],
                                            timeout: 120, launcher: hosts.on(1))
        #expect(restore.status == 0, "\(restore.stderr)")
        let differences = TreeComparison.differences(src, out)
        #expect(differences.isEmpty, "\(differences.prefix(5))")
    }
}
