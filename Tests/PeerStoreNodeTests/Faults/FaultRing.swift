import ChordRing
import Foundation
import PeerStoreTestKit

/// A ring of real nodes for fault cases: each node keeps its port and data path, so that one killed can be started
/// again as itself (same id, same address), joining through a node that runs.
final class FaultRing {
    let tmp: TemporaryDirectory
    let arguments: [String]
    let ports: [Int]
    private(set) var servers: [ServerProcess?]

    init(nodes: Int, in tmp: TemporaryDirectory, arguments: [String]) throws {
        self.tmp = tmp
        self.arguments = arguments
        ports = try (0..<nodes).map { _ in try FreePort.loopback() }
        servers = Array(repeating: nil, count: nodes)
        for i in 0..<nodes { try start(i) }
    }

    func address(_ i: Int) -> String { "127.0.0.1:\(ports[i])" }
    func dataPath(_ i: Int) -> String { tmp.sub("n\(i)") }
    var running: [Int] { servers.indices.filter { servers[$0]?.process.isRunning == true } }

    /// Starts node `i` on its port and data path, joining through the first other node that runs (none: a new ring).
    func start(_ i: Int, extra: [String] = []) throws {
        let join = running.first { $0 != i }.map { ["-initialPeerAddr", address($0)] } ?? []
        servers[i] = try ServerProcess(dataPath: dataPath(i), extraArguments: arguments + join + extra, listen: address(i))
    }

    /// SIGKILL of node `i`.
    func kill(_ i: Int) { servers[i]?.kill() }

    /// Waits until the ring is exactly the running nodes.
    func converge(within seconds: Double = 40) async throws {
        let nodes = running.compactMap { servers[$0] }
        let ids = Set(try nodes.map { try LiveRingTests().nodeID($0) })
        _ = try await LiveRingTests().waitForRing(from: nodes[0].address, ids: ids, within: seconds)
    }

    /// Runs `peerstore-client` with this ring's client home.
    func client(_ args: [String], timeout: TimeInterval = 300) throws -> CommandRunner.Result {
        try CommandRunner.run("peerstore-client", ["-home", tmp.sub("home")] + args, timeout: timeout)
    }

    /// The snapshot ids `snapshots` lists (short, newest first).
    func snapshotIDs() throws -> [String] {
        let r = try client(["-operation", "snapshots"])
        guard r.status == 0 else { throw TestKitError("snapshots failed: \(r.stderr)") }
        return r.stdout.split(separator: "\n").compactMap { line in
            let first = String(line.prefix { $0 != " " })
            return first.count == 12 && first.allSatisfy(\.isHexDigit) ? first : nil
        }
    }

    func stopAll() {
        for s in servers { s?.stop() }
    }
}
