import ChordRing
import Foundation
import PeerStoreBackup
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// A record read takes the highest seq among the holders and writes it back to a holder that had an older one.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ReadRepairTests {
    /// The seq of the device head as `server` alone holds it (a placed read: answered from its own store).
    func localHeadSeq(_ server: ServerProcess, key: Identifier) async throws -> UInt64? {
        let client = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: server.port), secure: .openDemo())
        defer { Task { await client.close() } }
        guard case .recordResult(let record) = try await client.request(.placedPut(role: .local, put: .getRecord(key: key))) else {
            throw TestKitError("\(server.address) did not answer a record read")
        }
        return record?.seq
    }

    @Test func aStaleHeadIsRepairedByTheNextRead() async throws {
        let tmp = try TemporaryDirectory(prefix: "read-repair")
        defer { tmp.remove() }
        // Anti-entropy is off (600 s rounds): only the read can repair.
        let arguments = ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "600"]
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: arguments)
        defer { ring.stopAll() }
        try await ring.converge()
        let ids = try ring.ids()
        let src = try ring.corpus(mib: 2, seed: 31, smallFiles: 50)
        #expect(try ring.client(["-operation", "backup", "-peerAddr", ring.first.address, "-localPath", src]).status == 0)

        let home = ClientHome(path: tmp.sub("home"))
        let identity = try home.loadIdentity()
        let device = try home.loadConfig().device
        let key = SignedRecord.key(owner: identity.signing.publicKey, salt: HeadPointer.salt(device: device, keys: identity.keys))

        // One holder misses the second backup's head.
        let stale = ring.servers[2]
        stale.kill()
        try Data("second version".utf8).write(to: URL(fileURLWithPath: src + "/second.txt"))
        let second = try ring.client(["-operation", "backup", "-peerAddr", ring.first.address])
        #expect(second.status == 0, "\(second.stderr)")
        let back = try ServerProcess(dataPath: tmp.sub("n2"), extraArguments: arguments + ["-initialPeerAddr", ring.first.address])
        defer { back.stop() }
        _ = try await LiveRingTests().waitForRing(from: ring.first.address, ids: ids)
        #expect(try await localHeadSeq(back, key: key) == 1)
        #expect(try await localHeadSeq(ring.servers[1], key: key) == 2)

        // A read through any node returns seq 2 and repairs the stale holder.
        let list = try ring.client(["-operation", "snapshots", "-peerAddr", ring.servers[1].address])
        #expect(list.status == 0 && list.stdout.split(separator: "\n").count == 3, "\(list.stdout)\(list.stderr)")
        #expect(try await localHeadSeq(back, key: key) == 2)
    }
}
