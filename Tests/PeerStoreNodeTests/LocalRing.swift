import ChordRing
import Foundation
import PeerStoreNode
import PeerStoreTestKit
import PeerStoreWire

/// A ring of real `peerstore-server` processes on 127.0.0.1 in one temporary folder: node 0 starts it, the others
/// join through it. `stopAll()` stops whatever still runs.
final class LocalRing {
    let tmp: TemporaryDirectory
    let arguments: [String]
    private(set) var servers: [ServerProcess] = []
    private var restores = 0

    init(nodes: Int, in tmp: TemporaryDirectory, arguments: [String]) throws {
        self.tmp = tmp
        self.arguments = arguments
        try add(nodes)
    }

    var first: ServerProcess { servers[0] }

    /// Starts `count` more nodes joining through node 0.
    func add(_ count: Int) throws {
        for _ in 0..<count {
            let i = servers.count
            let join = i == 0 ? [] : ["-initialPeerAddr", servers[0].address]
            servers.append(try ServerProcess(dataPath: tmp.sub("n\(i)"), extraArguments: arguments + join))
        }
    }

    func ids(of nodes: [ServerProcess]? = nil) throws -> Set<Identifier> {
        Set(try (nodes ?? servers).map { try LiveRingTests().nodeID($0) })
    }

    /// Waits until the ring is exactly the given nodes (default: all started), seen from node 0.
    @discardableResult
    func converge(to nodes: [ServerProcess]? = nil, within seconds: Double = 40) async throws -> [NodeStatus] {
        try await LiveRingTests().waitForRing(from: (nodes ?? servers)[0].address, ids: try ids(of: nodes), within: seconds)
    }

    /// Runs `peerstore-client` with this ring's client home.
    func client(_ args: [String]) throws -> CommandRunner.Result {
        try CommandRunner.run("peerstore-client", ["-home", tmp.sub("home")] + args)
    }

    /// A generated tree of about `mib` MiB with `smallFiles` small files, in `src`.
    func corpus(mib: Int, seed: UInt64, smallFiles: Int) throws -> String {
        var settings = TreeGenerator.Settings.approximately(mib << 20, seed: seed)
        settings.smallFiles = smallFiles
        try TreeGenerator(settings: settings).generate(into: tmp.sub("src"))
        return tmp.sub("src")
    }

    /// Restores the latest snapshot through the node at `address` into a new folder and lists how it differs from
    /// `src` (empty: byte-identical). A failed restore throws with the client's error output.
    func restoreDifferences(of src: String, via address: String) throws -> [String] {
        restores += 1
        let out = tmp.sub("restored-\(restores)")
        let restore = try client(["-operation", "restore", "-peerAddr", address, "-filedest", out])
        guard restore.status == 0 else { throw TestKitError("restore through \(address) failed: \(restore.stderr)") }
        return TreeComparison.differences(src, out)
    }

    /// The last line of `check -json` through `server`, as numbers (check exits 1 when a block has no copy: still a report).
    func checkReport(via server: ServerProcess) throws -> [String: Int] {
        let check = try client(["-operation", "check", "-json", "-peerAddr", server.address])
        guard let last = check.stdout.split(separator: "\n").last,
            let report = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Int]
        else { throw TestKitError("check -json gave no report (exit \(check.status)): \(check.stdout) \(check.stderr)") }
        return report
    }

    func stopAll() {
        for s in servers { s.stop() }
    }
}

/// The keys of the entries of one kind (1 block, 2 record) in a node's segment files, as they are on disk (the node
/// must be stopped or idle; acknowledged puts are on disk).
func storedEntryKeys(_ dataPath: String, kind: UInt8) -> [[UInt8]] {
    var keys: [[UInt8]] = []
    let dir = dataPath + "/segments"
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() where name.hasSuffix(".seg") {
        for entry in SegmentLayout.entries(ofFile: dir + "/" + name) where entry.kind == kind { keys.append(entry.key) }
    }
    return keys
}
