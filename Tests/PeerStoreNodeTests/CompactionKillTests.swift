import BlockStore
import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// SIGKILL a real peerstore-server while it compacts a big segment; restarted, it serves every live block and record.
@Suite struct CompactionKillTests {
    @Test(.timeLimit(.minutes(2)))
    func killDuringCompactionLosesNothing() async throws {
        let dir = try TemporaryDirectory(prefix: "compaction-kill")
        defer { dir.remove() }
        let dataPath = dir.sub("node")
        // Made offline: 24 MiB segments of 1 MiB blocks, three in five deleted, a record updated 30 times.
        var live: [Identifier: [UInt8]] = [:]
        var deleted: [Identifier] = []
        let owner = SigningKeyPair()
        var record: SignedRecord? = nil
        do {
            var settings = BlockStoreSettings()
            settings.maxSegmentSize = 24 << 20
            let store = try BlockStore(path: dataPath, settings: settings)
            for i in 0..<60 {
                let bytes = SecureRandom.bytes((1 << 20) - 4096 + i)
                let id = BlockID.of(bytes)
                try await store.put(id: id, bytes: bytes)
                if i < 30 { record = try SignedRecord(signing: [UInt8(i)], salt: Array("head".utf8), seq: UInt64(i + 1), with: owner) }
                if let record, i < 30 { try await store.put(record: record) }
                if i % 5 < 2 { live[id] = bytes } else { deleted.append(id) }
            }
            for id in deleted { try await store.delete(id, now: 1_800_000_000) }
            store.close()
        }
        let first = dataPath + "/segments/0000000001.seg"
        let sizeBefore = try fileSize(first)

        let server = try ServerProcess(dataPath: dataPath, extraArguments: ["-compactBelow", "0.5", "-compactInterval", "0.05"])
        var sawCopy = false
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: first + ".compacting") { sawCopy = true; break }
            if (try? fileSize(first)) ?? 0 < sizeBefore { break }  // finished between two looks
            usleep(500)
        }
        server.kill()
        #expect(!server.process.isRunning)
        print("compaction kill: killed \(sawCopy ? "while copying" : "after a compaction") of a \(sizeBefore >> 20) MiB segment")

        // Restarted with compaction off: everything live is served, nothing deleted comes back.
        try await verify(dataPath, arguments: ["-compactBelow", "0"], live: live, deleted: deleted, record: record!)
        // And with compaction on, until the first segments shrank; then a clean stop.
        let again = try ServerProcess(dataPath: dataPath, extraArguments: ["-compactBelow", "0.5", "-compactInterval", "0.05"])
        let until = Date().addingTimeInterval(20)
        while Date() < until && ((try? fileSize(first)) ?? 0) >= sizeBefore { usleep(20_000) }
        #expect(((try? fileSize(first)) ?? 0) < sizeBefore, "the segment was never compacted")
        #expect(again.stop() == 0)
        print("compaction kill: segment 1 \(sizeBefore) -> \((try? fileSize(first)) ?? 0) bytes")
        try await verify(dataPath, arguments: ["-compactBelow", "0"], live: live, deleted: deleted, record: record!)
    }

    func verify(_ dataPath: String, arguments: [String], live: [Identifier: [UInt8]], deleted: [Identifier],
                record: SignedRecord) async throws {
        let server = try ServerProcess(dataPath: dataPath, extraArguments: arguments)
        defer { server.kill() }
        let address = PeerAddress(host: "127.0.0.1", port: server.port)
        let client = try await withDeadline(10) { try await WireClient.connect(to: address, secure: .openDemo()) }
        for (id, bytes) in live {
            let got = try await withDeadline(10) { try await client.getBlock(id: id) }
            #expect(got == bytes, "live block \(id.shortHex()) is \(got == nil ? "missing" : "different")")
        }
        for id in deleted.prefix(10) {
            #expect(try await withDeadline(10) { try await client.getBlock(id: id) } == nil)
        }
        #expect(try await withDeadline(10) { try await client.getRecord(key: record.key) } == record)
        await client.close()
    }
}

private func fileSize(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
}
