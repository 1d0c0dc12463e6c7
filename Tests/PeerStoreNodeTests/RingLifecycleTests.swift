import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreBackup
import PeerStoreNode
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// The life of a node on a live ring: it comes back on its old data path, joins a ring that holds data, leaves with
/// SIGTERM, or is started with the wrong network key.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RingLifecycleTests {
    /// The first regular file under `root` whose name ends in `suffix`, in sorted order.
    func firstFile(under root: String, endingWith suffix: String) throws -> String {
        let all = (FileManager.default.subpaths(atPath: root) ?? []).sorted()
        let name = try #require(all.first { path in
            var st = stat()
            return path.hasSuffix(suffix) && lstat(root + "/" + path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
        })
        return root + "/" + name
    }

    /// The keys of the record entries (kind 2) in a node's segment files. Reads what is on disk; acknowledged puts are.
    func recordKeys(_ dataPath: String) -> [Identifier] {
        storedEntryKeys(dataPath, kind: 2).compactMap { Identifier(bytes: $0) }
    }

    /// The head's key: a backup writes two records, the head and the user's device list (whose key the client's
    /// identity gives), so the head is the record on the nodes' disks that is not the device list.
    func headKey(_ servers: [ServerProcess], home: String) throws -> Identifier {
        let devices = DeviceRegistry.key(identity: try ClientHome(path: home).loadIdentity())
        let keys = Set(servers.flatMap { recordKeys($0.dataPath) }).subtracting([devices])
        try #require(keys.count == 1, "records other than the device list: \(keys.count)")
        return keys.first!
    }

    /// A clockwise distance on the ring as a fraction of the whole id space.
    func fraction(_ distance: Identifier) -> Double {
        Double(distance.words.0) / 0x1p64 + Double(distance.words.1) / 0x1p128
    }

    @Test func aNodeRestartedOnItsOldDataPathRejoinsAndServesTheNewestSnapshot() async throws {
        let started = Date()
        let tmp = try TemporaryDirectory(prefix: "restart")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 5, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "0.5"])
        defer { ring.stopAll() }
        let servers = ring.servers
        let originalIDs = try ring.ids()
        try await ring.converge()
        let src = try ring.corpus(mib: 6, seed: 21, smallFiles: 200)
        let first = try ring.client(["-operation", "backup", "-peerAddr", servers[0].address, "-localPath", src])
        #expect(first.status == 0, "\(first.stderr)")

        // The node that owns the head record crashes (a node that holds a copy of it, if the owner is node 0, the ring's
        // entry): it keeps the head of the first backup on disk. The other four close the ring, and the source changes
        // while it is down; the second backup's head goes to the nodes that hold the key meanwhile.
        let headKey = try headKey(servers, home: tmp.sub("home"))
        let ids = try servers.map { try LiveRingTests().nodeID($0) }
        let owner = servers[ids.indices.min { headKey.distance(to: ids[$0]) < headKey.distance(to: ids[$1]) }!]  // successor(key)
        let holder = servers.dropFirst().first { recordKeys($0.dataPath).contains(headKey) }
        let victim = try #require(owner !== servers[0] ? owner : holder, "no node but node 0 holds the head")
        victim.kill()
        let others = servers.filter { $0 !== victim }
        try await ring.converge(to: others)
        let changed = try firstFile(under: src + "/small", endingWith: ".txt")
        let before = try Data(contentsOf: URL(fileURLWithPath: changed))
        try (Data("changed while a node was down\n".utf8) + before).write(to: URL(fileURLWithPath: changed))
        let second = try ring.client(["-operation", "backup", "-peerAddr", others[1].address, "-localPath", src])
        #expect(second.status == 0, "\(second.stderr)")

        // It comes back on its old data path (same node key, so the same ring id) at a new port, through node 0.
        let restarted = try ServerProcess(
            dataPath: victim.dataPath, extraArguments: ring.arguments + ["-initialPeerAddr", servers[0].address])
        defer { restarted.stop() }
        let again = others + [restarted]
        #expect(try ring.ids(of: again) == originalIDs)
        try await ring.converge(to: again)

        // The restarted node's own copy of the head is the first backup's, or already the newest: a node that held the
        // key while it was down, and holds it no longer, pushes it the newest (`AntiEntropy+Misplaced`), and a replica's
        // copy may have been refreshed by its owner. A read through a stale owner is `ReadRepairTests`' case.
        let probe = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: restarted.port), secure: .openDemo())
        let local = try? await probe.request(.placedPut(role: .local, put: .getRecord(key: headKey)))
        let newest = try? await probe.getRecord(key: headKey)
        await probe.close()
        guard case .recordResult(let own?)? = local else { throw TestKitError("the restarted node lost its head record: \(String(describing: local))") }
        #expect((newest?.seq ?? 0) > 1, "the ring's newest head: \(String(describing: newest?.seq))")
        #expect(own.seq <= (newest?.seq ?? 0), "own seq \(own.seq), ring's newest \(String(describing: newest?.seq))")

        // A restore through it must find the newest head (the highest seq among the holders), not its own.
        let restore = try ring.client(["-operation", "restore", "-peerAddr", restarted.address, "-filedest", tmp.sub("out")])
        #expect(restore.status == 0, "\(restore.stderr)")
        let differences = TreeComparison.differences(src, tmp.sub("out"))
        #expect(differences.isEmpty, "\(differences.prefix(5))")

        // Every block of the newest snapshot is on at least three of the five nodes again, within a bounded time.
        let deadline = Date().addingTimeInterval(30)
        var report: [String: Int] = [:]
        repeat {
            report = try ring.checkReport(via: restarted)
            if (report["minReplicas"] ?? 0) >= 3 && report["missing"] == 0 && report["nodes"] == 5 { break }
            try await Task.sleep(for: .seconds(1))
        } while Date() < deadline
        #expect((report["minReplicas"] ?? 0) >= 3 && report["missing"] == 0 && report["nodes"] == 5, "\(report)")
        #expect((report["blocks"] ?? 0) > 30, "\(report)")
        print("restart: n\(servers.firstIndex { $0 === victim } ?? -1) restarted (\(victim === owner ? "the head's owner" : "a holder of the head")), head seq \(own.seq) on its disk, \(newest?.seq ?? 0) on the ring; check \(report); test took \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    @Test func aSixthNodeTakesOverItsShareOfTheBlocks() async throws {
        let started = Date()
        let tmp = try TemporaryDirectory(prefix: "sixth")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 5, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "0.5"])
        defer { ring.stopAll() }
        try await ring.converge()
        let src = try ring.corpus(mib: 8, seed: 22, smallFiles: 400)
        let backup = try ring.client(["-operation", "backup", "-peerAddr", ring.first.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")

        try ring.add(1)
        let joinedAt = Date()
        let newcomer = ring.servers[5]
        try await ring.converge()

        // Within a bounded time the newcomer holds blocks; then wait (bounded) until the counts stop moving.
        let home = try PeerAddress(parsing: ring.first.address)
        let deadline = Date().addingTimeInterval(30)
        var statuses: [NodeStatus] = []
        var firstHeld: Double?
        var steady = 0
        while Date() < deadline && steady < 4 {
            let previous = statuses.map(\.blocks)
            if let (walked, complete) = try? await RingSurvey.walk(from: home, networkKey: .openDemo), complete, walked.count == 6 {
                statuses = walked
            }
            let held = statuses.first { $0.node.address == newcomer.address }?.blocks ?? 0
            if held > 0 && firstHeld == nil { firstHeld = Date().timeIntervalSince(joinedAt) }
            steady = held > 0 && statuses.map(\.blocks) == previous ? steady + 1 : 0
            try await Task.sleep(for: .milliseconds(500))
        }
        let mine = statuses.first { $0.node.address == newcomer.address }
        #expect((mine?.blocks ?? 0) > 0, "the sixth node holds no blocks: \(statuses.map(\.blocks))")

        // The distribution: blocks per node, the range it owns (predecessor, node] and the ranges it keeps copies of
        // with k = 3 (its own and its two predecessors'), as shares of the id space.
        let report = try ring.checkReport(via: ring.first)
        var lines: [String] = []
        for (i, s) in statuses.enumerated() {
            let pred = statuses[(i + statuses.count - 1) % statuses.count].node.id
            let third = statuses[(i + statuses.count - 3) % statuses.count].node.id
            let owned = fraction(pred.distance(to: s.node.id))
            let kept = fraction(third.distance(to: s.node.id))
            let index = ring.servers.firstIndex { $0.address == s.node.address }.map { "n\($0)" } ?? "?"
            let total = report["blocks"] ?? 0
            let percent = { (x: Double) in String(format: "%.1f%%", 100 * x) }
            lines.append("\(index)\(s.node.address == newcomer.address ? "*" : " ") \(s.node.id.shortHex(8)) blocks=\(s.blocks) "
                + "(\(percent(Double(s.blocks) / Double(max(1, total)))) of \(total)) owns=\(percent(owned)) keeps=\(percent(kept))")
        }
        print("distribution: (* = newcomer; it held blocks \(String(format: "%.1f", firstHeld ?? -1)) s after it started)\n  "
              + lines.joined(separator: "\n  "))

        #expect((report["minReplicas"] ?? 0) >= 3 && report["missing"] == 0 && report["nodes"] == 6, "\(report)")
        print("sixth node: check \(report); test took \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    /// With k = 3 a node that leaves with SIGTERM must leave every block on three nodes: anti-entropy is slowed to
    /// 600 s, so only the leave hand-off can put the copies it held where the new replica sets are.
    @Test func aNodeStoppedWithSIGTERMLeavesEveryBlockOnThreeNodes() async throws {
        let started = Date()
        let tmp = try TemporaryDirectory(prefix: "leave3")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 5, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "600"])
        defer { ring.stopAll() }
        let servers = ring.servers
        try await ring.converge()
        let src = try ring.corpus(mib: 6, seed: 23, smallFiles: 300)
        let backup = try ring.client(["-operation", "backup", "-peerAddr", servers[0].address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        let baseline = try ring.checkReport(via: servers[0])
        #expect(baseline["minReplicas"] == 3 && baseline["missing"] == 0 && baseline["nodes"] == 5, "before the leave: \(baseline)")

        let leaving = servers[2]
        #expect(leaving.stop() == 0)
        let log = try String(contentsOfFile: leaving.logPath, encoding: .utf8)
        #expect(log.contains("handed the range on"))
        // The leave closes the ring at once (a walk through the departed node would undercount); no repair round runs.
        let rest = servers.filter { $0 !== leaving }
        try await ring.converge(to: rest, within: 10)
        let report = try ring.checkReport(via: servers[0])

        // How many blocks lost a copy: ask the four remaining nodes about every block any node held.
        let blocks = (0..<5).map { ReplicationTests().heldIDs(tmp.sub("n\($0)")) }.reduce(Set<[UInt8]>()) { $0.union($1) }
            .compactMap { Identifier(bytes: $0) }
        var copies = [Int](repeating: 0, count: blocks.count)
        for s in rest {
            let probe = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: s.port), secure: .openDemo())
            let present = try await probe.haveBlocks(blocks)
            await probe.close()
            for (i, p) in present.enumerated() where p { copies[i] += 1 }
        }
        let histogram = Dictionary(grouping: copies, by: { $0 }).mapValues(\.count).sorted { $0.key < $1.key }
            .map { "\($0.value) blocks on \($0.key) nodes" }.joined(separator: ", ")
        print("leave with k = 3: \(histogram)")
        print("leave with k = 3: before \(baseline), after \(report); test took \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        #expect(report["nodes"] == 4 && report["unreachableNodes"] == 0, "\(report)")
        #expect(report["missing"] == 0, "\(report)")
        #expect((report["minReplicas"] ?? 0) >= 3, "a block is left with fewer than 3 copies after a graceful leave: \(report)")
    }

    /// The distinction the join relies on: nothing listening is `connectionFailed`, a node with another network key is
    /// `handshakeFailed`.
    @Test func anotherNetworkKeyIsAHandshakeFailureNotAMissingNode() async throws {
        let tmp = try TemporaryDirectory(prefix: "wrongkey-unit")
        defer { tmp.remove() }
        let node = try ServerProcess(dataPath: tmp.sub("a"))
        defer { node.stop() }
        let gone = try ServerProcess(dataPath: tmp.sub("gone"))
        let freePort = gone.port
        gone.stop()

        let other = SecureChannelSettings(networkKey: NetworkKey.generate(), identity: SigningKeyPair())
        do {
            let client = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: node.port), secure: other, connectTimeout: .seconds(5))
            await client.close()
            Issue.record("a node with another network key completed the handshake")
        } catch let error as WireError {
            #expect(error.code == .handshakeFailed && error.message.contains("-networkKeyFile"), "\(error.code): \(error)")
        }
        do {
            let client = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: freePort), secure: .openDemo(), connectTimeout: .seconds(5))
            await client.close()
            Issue.record("connected to a port nobody listens on")
        } catch let error as WireError {
            #expect(error.code == .connectionFailed, "\(error.code): \(error)")
        }
    }

    /// A node given another network key than its initial peer's says so in its log, loudly, and the rings stay apart.
    @Test func aNodeWithAnotherNetworkKeySaysSoAndDoesNotMerge() async throws {
        let started = Date()
        let tmp = try TemporaryDirectory(prefix: "wrongkey")
        defer { tmp.remove() }
        let a = try ServerProcess(dataPath: tmp.sub("a"), extraArguments: ["-stabilizeInterval", "0.2"])
        defer { a.stop() }
        let keyFile = tmp.sub("other.key")
        let genkey = try CommandRunner.run("peerstore-client", ["-home", tmp.sub("home"), "-operation", "genkey", "-networkKeyFile", keyFile])
        #expect(genkey.status == 0, "\(genkey.stderr)")
        let b = try ServerProcess(
            dataPath: tmp.sub("b"), extraArguments: ["-stabilizeInterval", "0.2", "-networkKeyFile", keyFile, "-initialPeerAddr", a.address])
        defer { b.stop() }

        let phrase = "refused the secure handshake"
        let deadline = Date().addingTimeInterval(15)
        var log = ""
        while Date() < deadline {
            log = (try? String(contentsOfFile: b.logPath, encoding: .utf8)) ?? ""
            if log.contains(phrase) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let line = log.split(separator: "\n").first { $0.contains(phrase) }
        #expect(line != nil, "B's log does not say the handshake was refused:\n\(log)")
        if let line {
            #expect(line.contains("warning") && line.contains("network key") && line.contains("-networkKeyFile"), "\(line)")
        }
        print("wrong key: B said so \(String(format: "%.1f", Date().timeIntervalSince(started))) s after A started: \(line ?? "-")")

        // Give B time for at least one more attempt (every 3 s), then look at both rings: each is alone.
        try await Task.sleep(for: .seconds(4))
        let idA = try LiveRingTests().nodeID(a)
        let idB = try LiveRingTests().nodeID(b)
        let (ringA, completeA) = try await RingSurvey.walk(from: try PeerAddress(parsing: a.address), networkKey: .openDemo)
        #expect(completeA && ringA.map(\.node.id) == [idA], "\(ringA.map(\.node.address))")
        #expect(ringA.first.map { $0.successors.allSatisfy { $0.id == idA } } == true)
        let (ringB, _) = try await RingSurvey.walk(from: try PeerAddress(parsing: b.address), networkKey: try NetworkKey.load(path: keyFile))
        #expect(ringB.map(\.node.id) == [idB], "\(ringB.map(\.node.address))")
        log = (try? String(contentsOfFile: b.logPath, encoding: .utf8)) ?? ""
        // It joined nothing, and says nothing that reads as if it had ("Not joining it", then "joined the ring").
        #expect(!log.contains("joined the ring"), "\(log)")
        #expect(!log.contains("the initial peer does not answer"), "a refused handshake is reported as a missing peer:\n\(log)")
        // Said once while the reason stays the same, not on every attempt.
        #expect(log.components(separatedBy: phrase).count - 1 == 1, "\(log)")
    }
}
