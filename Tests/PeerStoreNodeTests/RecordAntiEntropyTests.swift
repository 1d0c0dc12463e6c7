import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// Anti-entropy's records, through real nodes: the owner asks its replica which seqs it holds and pushes the records
/// it lacks or holds older, so a replica catches up on new records and on newer versions of old ones.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RecordAntiEntropyTests {
    func local(_ server: ServerProcess, _ key: Identifier) async throws -> SignedRecord? {
        let client = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: server.port), secure: .openDemo())
        defer { Task { await client.close() } }
        guard case .recordResult(let record) = try await client.request(.placedPut(role: .local, put: .getRecord(key: key))) else {
            return nil
        }
        return record
    }

    /// Stores `record` on `server` alone (a replica's placed put: not passed on).
    func placeOnly(_ server: ServerProcess, _ record: SignedRecord) async throws {
        let client = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: server.port), secure: .openDemo())
        defer { Task { await client.close() } }
        let answer = try await client.request(.placedPut(role: .replica, put: .putRecord(record: record, expectedSeq: nil)))
        guard case .putRecordResult = answer else { throw TestKitError("placed put answered \(answer)") }
    }

    @Test func aReplicaGetsTheRecordsItLacksAndTheNewerSeqs() async throws {
        let tmp = try TemporaryDirectory(prefix: "record-anti-entropy")
        defer { tmp.remove() }
        let timing = ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "0.5", "-replicas", "2"]
        let first = try ServerProcess(dataPath: tmp.sub("n0"), extraArguments: timing)
        defer { first.stop() }
        let second = try ServerProcess(dataPath: tmp.sub("n1"), extraArguments: timing + ["-initialPeerAddr", first.address])
        defer { second.stop() }
        let ids = try [first, second].map { try LiveRingTests().nodeID($0) }
        _ = try await LiveRingTests().waitForRing(from: first.address, ids: Set(ids))

        // Records put on the first node alone; those it owns (the successor of the key is it) go to the second. The
        // salts are chosen so that 12 keys fall on each node's arc: with random node ids, 24 arbitrary keys would all
        // miss a small arc now and then (one run in 25).
        let keys = SigningKeyPair()
        let sorted = ids.sorted()
        func ownedByFirst(_ salt: [UInt8]) -> Bool {
            let key = SignedRecord.key(owner: keys.publicKey, salt: salt)
            return (sorted.first { $0 >= key } ?? sorted[0]) == ids[0]
        }
        var ownedSalts: [[UInt8]] = [], otherSalts: [[UInt8]] = []
        for n in 0..<UInt32(1_000_000) where ownedSalts.count < 12 || otherSalts.count < 12 {
            let salt = withUnsafeBytes(of: n.bigEndian) { Array($0) }
            if ownedByFirst(salt) {
                if ownedSalts.count < 12 { ownedSalts.append(salt) }
            } else if otherSalts.count < 12 {
                otherSalts.append(salt)
            }
        }
        try #require(ownedSalts.count == 12 && otherSalts.count == 12)
        let owned = try ownedSalts.map { try SignedRecord(signing: [$0[3]], salt: $0, seq: 1, with: keys) }
        let others = try otherSalts.map { try SignedRecord(signing: [$0[3]], salt: $0, seq: 1, with: keys) }
        for record in owned + others { try await placeOnly(first, record) }
        let bumped = try SignedRecord(signing: [99], salt: owned[0].salt, seq: 5, with: keys)

        var deadline = Date().addingTimeInterval(20)
        var missing = owned
        while !missing.isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(250))
            var still: [SignedRecord] = []
            for record in missing where try await local(second, record.key)?.seq != record.seq { still.append(record) }
            missing = still
        }
        #expect(missing.isEmpty, "\(missing.count) of \(owned.count) owned records did not reach the replica")

        // A newer version on the owner alone reaches the replica too.
        try await placeOnly(first, bumped)
        deadline = Date().addingTimeInterval(20)
        var seen = try await local(second, bumped.key)?.seq
        while seen != 5, Date() < deadline {
            try await Task.sleep(for: .milliseconds(250))
            seen = try await local(second, bumped.key)?.seq
        }
        #expect(seen == 5)
    }
}
