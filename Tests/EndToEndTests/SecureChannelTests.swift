import Foundation
import PeerStoreTestKit
import Testing

/// The secure channel end to end: real processes, real sockets on 127.0.0.1.
@Suite(.serialized)
struct SecureChannelTests {
    func makeKey(_ client: ClientHarness, _ path: String) throws {
        let r = try client.run(["-operation", "genkey", "-networkKeyFile", path])
        guard r.status == 0 else { throw TestKitError("genkey failed: \(r.stderr)") }
    }

    @Test func anotherNetworkKeyCannotBackUpTheRightOneCan() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-netkey")
        defer { tmp.remove() }
        let client = ClientHarness(home: tmp.sub("home"))
        try makeKey(client, tmp.sub("ring.key"))
        try makeKey(client, tmp.sub("other.key"))
        let mode = try FileManager.default.attributesOfItem(atPath: tmp.sub("ring.key"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // genkey never overwrites a key.
        #expect(try client.run(["-operation", "genkey", "-networkKeyFile", tmp.sub("ring.key")]).status == 1)

        let server = try ServerProcess(dataPath: tmp.sub("node"), extraArguments: ["-networkKeyFile", tmp.sub("ring.key")])
        defer { server.stop() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: URL(fileURLWithPath: src + "/a.txt"))

        for args in [["-networkKeyFile", tmp.sub("other.key")], []] {
            let r = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src] + args)
            #expect(r.status == 1, "\(r.stdout)")
            #expect(r.stderr.contains("network key"), "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("home/known_nodes")))  // nothing learned from a failed handshake
        let ok = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-networkKeyFile", tmp.sub("ring.key")])
        #expect(ok.status == 0, "\(ok.stderr)")
        // The key file is remembered for the nightly run.
        #expect(try client.run(["-operation", "backup"]).status == 0)
        let log = try String(contentsOfFile: server.logPath, encoding: .utf8)
        #expect(log.contains("does not know this ring's network key"))
        #expect(!log.contains(try String(contentsOfFile: tmp.sub("ring.key"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test func aPinnedNodeThatComesBackWithAnotherKeyIsRefused() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-pin")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        try Data("pinned".utf8).write(to: URL(fileURLWithPath: src + "/a.txt"))
        let client = ClientHarness(home: tmp.sub("home"))
        let first = try ServerProcess(dataPath: tmp.sub("node-a"))
        let port = first.port
        let r = try client.run(["-operation", "backup", "-peerAddr", first.address, "-localPath", src])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("pinned its key"))
        first.stop()

        // Another node (another key) on the same address.
        let impostor = try ServerProcess(dataPath: tmp.sub("node-b"), extraArguments: [], listen: "127.0.0.1:\(port)")
        defer { impostor.stop() }
        let refused = try client.run(["-operation", "backup"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("different key") && refused.stderr.contains("known_nodes"), "\(refused.stderr)")

        // Pinning from the start with KEY@host:port: the right key works, a wrong one is refused.
        let keyLine = try #require(impostor.stdout.split(separator: "\n").first { $0.contains("node key") })
        let key = String(try #require(keyLine.split(separator: " ").first { $0.hasPrefix("pn") }))
        let other = ClientHarness(home: tmp.sub("home2"))
        let good = try other.run(["-operation", "backup", "-peerAddr", "\(key)@127.0.0.1:\(port)", "-localPath", src])
        #expect(good.status == 0, "\(good.stderr)")
        let third = ClientHarness(home: tmp.sub("home3"))
        let wrongKey = try #require(try client.run(["-operation", "whoami"]).stdout.split(separator: "\n").first).replacingOccurrences(of: "ps", with: "pn")
        let bad = try third.run(["-operation", "backup", "-peerAddr", "\(wrongKey)@127.0.0.1:\(port)", "-localPath", src])
        #expect(bad.status == 1)
    }

    @Test func nothingReadableCrossesTheWire() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-wire")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        var settings = smallCorpus(seed: 21)
        settings.smallFiles = 200
        try TreeGenerator(settings: settings).generate(into: src)
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let proxy = try RecordingProxy(targetPort: server.port)
        defer { proxy.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        let r = try client.run(["-operation", "backup", "-peerAddr", "127.0.0.1:\(proxy.port)", "-localPath", src])
        #expect(r.status == 0, "\(r.stderr)")
        let restore = try client.run(["-operation", "restore", "-filedest", tmp.sub("out")])
        #expect(restore.status == 0, "\(restore.stderr)")
        // The whole backup and restore went through the proxy...
        #expect(proxy.bytes.count > 12 << 20)  // the 6 MiB random file went up and came back
        // ...and none of it is readable: no file content, no file names, no path.
        for needle in [TreeGenerator.marker, "server-0.log", "random-0.bin", "Überblick", "notes-0", src, "request="] {
            #expect(!proxy.contains(needle), "\(needle) crossed the wire in the clear")
        }
        // Blocks are sealed on the client anyway; what the channel hides is the traffic itself: not one of the block ids
        // the node stored (plain wire v1 carries each in the clear) is visible.
        proxy.stop()
        #expect(server.stop() == 0)
        let ids = storedIDs(segment: tmp.sub("node/segments/0000000001.seg"))
        #expect(ids.count > 100)
        #expect(!containsAny(proxy.bytes, of: ids))
    }

    /// Whether any of the 32-byte `needles` occurs in `haystack` (one pass, by 8-byte prefix).
    func containsAny(_ haystack: [UInt8], of needles: [[UInt8]]) -> Bool {
        let prefixes = Set(needles.map { n in n.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } })
        guard haystack.count >= 32 else { return false }
        return haystack.withUnsafeBytes { raw in
            for i in 0...(raw.count - 32) where prefixes.contains(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                let window = Array(raw[i..<(i + 32)])
                if needles.contains(window) { return true }
            }
            return false
        }
    }

    /// The keys of the entries of a segment file (block ids and record keys), read straight from its layout.
    func storedIDs(segment: String) -> [[UInt8]] {
        SegmentLayout.entries(ofFile: segment).map(\.key)
    }

    @Test func onlyAllowedUsersMayStore() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-allow")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: src + "/a.txt"))
        let alice = ClientHarness(home: tmp.sub("alice"))
        let bob = ClientHarness(home: tmp.sub("bob"))
        _ = try alice.run(["-operation", "init"])
        _ = try bob.run(["-operation", "init"])
        let aliceID = try alice.run(["-operation", "whoami"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try Data("# the family\n\(aliceID)\n".utf8).write(to: URL(fileURLWithPath: tmp.sub("allow")))
        let server = try ServerProcess(dataPath: tmp.sub("node"), extraArguments: ["-allowUsers", tmp.sub("allow")])
        defer { server.stop() }
        let ok = try alice.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
        #expect(ok.status == 0, "\(ok.stderr)")
        let refused = try bob.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("-allowUsers"), "\(refused.stderr)")
    }

    @Test func aSilentPeerIsDroppedAndOthersAreServed() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-loris")
        defer { tmp.remove() }
        let server = try ServerProcess(dataPath: tmp.sub("node"), extraArguments: ["-handshakeTimeout", "1"])
        defer { server.stop() }
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(silent) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(server.port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(rc == 0)
        // Another client is served meanwhile.
        let client = ClientHarness(home: tmp.sub("home"))
        try FileManager.default.createDirectory(atPath: tmp.sub("src"), withIntermediateDirectories: true)
        #expect(try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", tmp.sub("src")]).status == 0)
        // The silent one is closed by the server within the timeout (EOF on read), bounded at 10 s.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(silent, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        let started = Date()
        let n = recv(silent, &byte, 1, 0)
        #expect(n == 0 || (n < 0 && errno == ECONNRESET), "recv returned \(n)")
        #expect(Date().timeIntervalSince(started) < 9)
    }
}
