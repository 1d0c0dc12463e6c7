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

    func stopAll() {
        for s in servers { s.stop() }
    }
}
