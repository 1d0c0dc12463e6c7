import ChordRing
import Foundation
import NIOCore
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// A copy that sits only on the node after a key's holders, as when two rings merge after a partition and a key
/// written on one side finds its new holders all on the other: a read through the owner still finds it there and puts
/// it back on its holder.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct FormerHolderReadTests {

    @Test func aRecordAndABlockOnlyPastTheirHolderAreReadAndPlacedAgain() async throws {
        let tmp = try TemporaryDirectory(prefix: "former-holder")
        defer { tmp.remove() }
        // One copy of everything (the holder is the owner alone) and no anti-entropy: only reads can move data.
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "600", "-replicas", "1"])
        defer { ring.stopAll() }
        try await ring.converge()
        let placement = try OneCopyPlacement(ring)

        let keys = SigningKeyPair()
        var rng = SeededRandom(seed: 5)
        for i in 0..<6 {
            let record = try SignedRecord(signing: rng.bytes(40), salt: [UInt8(i), 1], seq: 3, with: keys)
            let block = rng.bytes(1_000)
            let id = BlockID.of(block)
            // Each lands on the node after its owner alone (a placed replica put is not passed on).
            let recordPlaced = try await requestOnce(placement.after(record.key), .placedPut(role: .replica, put: .putRecord(record: record, expectedSeq: nil)))
            let blockPlaced = try await requestOnce(placement.after(id), .placedPut(role: .replica, put: .putBlock(id: id, bytes: ByteBuffer(bytes: block))))
            guard case .putRecordResult = recordPlaced, case .putBlockResult = blockPlaced else {
                Issue.record("placing failed: \(recordPlaced) \(blockPlaced)")
                continue
            }
            let recordOwner = placement.owner(record.key), blockOwner = placement.owner(id)
            let local = WireMessage.placedPut(role: .local, put: .getRecord(key: record.key))
            guard case .recordResult(nil) = try await requestOnce(recordOwner, local) else { Issue.record("the owner had the record"); continue }

            // Read through the owner, as a client reads.
            let read = try await requestOnce(recordOwner, .getRecord(key: record.key))
            #expect({ if case .recordResult(let r?) = read { r.seq == 3 } else { false } }(), "record \(i): \(read)")
            let fetched = try await #require(try await requestOnce(blockOwner, .getBlock(id: id)), "block \(i) read through its owner")
            #expect({ if case .block(let b) = fetched { Array(b.readableBytesView) == block } else { false } }(), "block \(i): \(fetched)")

            // And both are back on their owner.
            let repaired = try await requestOnce(recordOwner, local)
            #expect({ if case .recordResult(let r?) = repaired { r.seq == 3 } else { false } }(), "record \(i) on its owner: \(repaired)")
            let onOwner = try await requestOnce(blockOwner, .placedPut(role: .local, put: .getBlock(id: id)))
            #expect({ if case .block(let b) = onOwner { Array(b.readableBytesView) == block } else { false } }(), "block \(i) on its owner")
        }
    }
}

/// Anti-entropy moves a record that only a former holder keeps to its holder, with no read.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct MisplacedRecordTests {
    @Test func aRecordOnlyPastItsHolderReachesItsHolderWithoutARead() async throws {
        let tmp = try TemporaryDirectory(prefix: "misplaced-record")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "0.3", "-replicas", "1"])
        defer { ring.stopAll() }
        try await ring.converge()
        let placement = try OneCopyPlacement(ring)

        let keys = SigningKeyPair()
        var rng = SeededRandom(seed: 6)
        let records = try (0..<12).map { i in try SignedRecord(signing: rng.bytes(30), salt: [UInt8(i), 2], seq: 2, with: keys) }
        for record in records {
            let placed = try await requestOnce(placement.after(record.key), .placedPut(role: .replica, put: .putRecord(record: record, expectedSeq: nil)))
            guard case .putRecordResult = placed else { throw TestKitError("placing failed: \(placed)") }
        }
        let deadline = Date().addingTimeInterval(20)
        var missing = records
        while !missing.isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(250))
            var still: [SignedRecord] = []
            for record in missing {
                let local = try await requestOnce(placement.owner(record.key), .placedPut(role: .local, put: .getRecord(key: record.key)))
                if case .recordResult(let r?) = local, r.seq == 2 { continue }
                still.append(record)
            }
            missing = still
        }
        #expect(missing.count == 0, "\(missing.count) of \(records.count) records did not reach their holder")
    }
}

/// Who holds a key on a converged ring with one copy per key: its owner (the first node at or after it), and the
/// node after that owner, where a former holder's copy would sit.
struct OneCopyPlacement {
    private let byID: [Identifier: ServerProcess]
    private let sorted: [Identifier]

    init(_ ring: LocalRing) throws {
        byID = Dictionary(uniqueKeysWithValues: try ring.servers.map { (try LiveRingTests().nodeID($0), $0) })
        sorted = byID.keys.sorted()
    }

    private func ownerID(_ key: Identifier) -> Identifier { sorted.first { $0 >= key } ?? sorted[0] }

    func owner(_ key: Identifier) -> ServerProcess { byID[ownerID(key)]! }

    func after(_ key: Identifier) -> ServerProcess { byID[sorted[(sorted.firstIndex(of: ownerID(key))! + 1) % sorted.count]]! }
}

/// One request on a connection of its own, the reply as it came (an error reply throws).
func requestOnce(_ server: ServerProcess, _ message: WireMessage) async throws -> WireMessage {
    let client = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: server.port), secure: .openDemo())
    defer { Task { await client.close() } }
    return try await client.request(message)
}
