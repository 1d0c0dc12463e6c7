import ChordRing
import Foundation
import Logging
import NIOCore
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreNode
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// Small blocks travel many to a request: a batched put through any node lands on every holder of each block and on
/// no other node; a node answers a batched read from its own store; a backup and a restore of small files use
/// batches; and a node that predates batches still gets every block, one to a request, from clients and from nodes.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct BatchedBlockTests {
    @Test func aBatchThroughOneNodeLandsOnEachBlocksHoldersAndReadsBackFromThem() async throws {
        let tmp = try TemporaryDirectory(prefix: "batched-blocks")
        defer { tmp.remove() }
        // Two copies on three nodes, no anti-entropy: only the put itself places the blocks.
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "600", "-replicas", "2"])
        defer { ring.stopAll() }
        try await ring.converge()
        let placement = try OneCopyPlacement(ring)
        var rng = SeededRandom(seed: 11)
        let blocks = (0..<90).map { i in rng.bytes(100 + i * 37) }
        let ids = blocks.map { BlockID.of($0) }
        let puts = zip(ids, blocks).map { BlockPut(id: $0, bytes: ByteBuffer(bytes: $1)) }

        let first = try await requestOnce(ring.first, .putBlocks(puts))
        #expect(first == .putBlocksResult(stored: Array(repeating: true, count: puts.count)))
        let again = try await requestOnce(ring.first, .putBlocks(puts))
        #expect(again == .putBlocksResult(stored: Array(repeating: false, count: puts.count)))

        // A batch with a block under another block's id is refused as a whole, with the store's error, and that
        // block is stored on no node.
        let good = rng.bytes(300)
        let forged = BlockID.of(rng.bytes(300))
        do {
            let reply = try await requestOnce(ring.first, .putBlocks([BlockPut(id: BlockID.of(good), bytes: ByteBuffer(bytes: good)),
                                                                      BlockPut(id: forged, bytes: ByteBuffer(bytes: good))]))
            Issue.record("a batch with a wrong id was taken: \(reply)")
        } catch let error as WireError {
            #expect(error.code == .idMismatch, "\(error)")
        }
        for server in ring.servers {
            #expect(try await requestOnce(server, .getBlocks(ids: [forged])) == .blocks([nil]), "\(server.address)")
        }

        for server in ring.servers {
            guard case .blocks(let answered) = try await requestOnce(server, .getBlocks(ids: ids + [BlockID.of([9, 9])])) else {
                Issue.record("no blocks answer from \(server.address)")
                continue
            }
            #expect(answered.count == ids.count + 1)
            #expect(answered.last! == nil, "a block nobody stored")
            for (i, id) in ids.enumerated() {
                let holds = placement.owner(id) === server || placement.after(id) === server
                let got = answered[i].map { Array($0.readableBytesView) }
                #expect(got == (holds ? blocks[i] : nil), "block \(i) on \(server.address): holder \(holds)")
            }
        }
    }

    @Test func aBackupAndARestoreOfSmallFilesGoInBatches() async throws {
        let tmp = try TemporaryDirectory(prefix: "batched-backup")
        defer { tmp.remove() }
        let port = try FreePort.loopback()
        let ring = try LocalRing(nodes: 1, in: tmp, arguments: ["-metricsAddr", "127.0.0.1:\(port)"])
        defer { ring.stopAll() }
        let src = try ring.corpus(mib: 1, seed: 61, smallFiles: 400)
        let backup = try ring.client(["-operation", "backup", "-peerAddr", ring.first.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(try ring.restoreDifferences(of: src, via: ring.first.address) == [])

        let metrics = try #require(try await ScrubNodeMetricsTests().scrape("http://127.0.0.1:\(port)/metrics"))
        let stored = metrics.value("peerstore_store_blocks") ?? 0
        let batchedPuts = metrics.value("peerstore_requests_total", ["op": "put_blocks"]) ?? 0
        let singlePuts = metrics.value("peerstore_requests_total", ["op": "put_block"]) ?? 0
        let batchedGets = metrics.value("peerstore_requests_total", ["op": "get_blocks"]) ?? 0
        let singleGets = metrics.value("peerstore_requests_total", ["op": "get_block"]) ?? 0
        #expect(stored >= 400)
        #expect(batchedPuts >= 1 && batchedGets >= 1, "puts \(batchedPuts), gets \(batchedGets)")
        #expect(batchedPuts + singlePuts <= stored / 2, "\(batchedPuts) + \(singlePuts) put requests for \(stored) blocks")
        #expect(batchedGets + singleGets <= stored / 2, "\(batchedGets) + \(singleGets) get requests for \(stored) blocks")
    }

    @Test func aNodeThatPredatesBatchesGetsEveryBlockOneToARequest() async throws {
        let old = try await LyingNode { me in NodeStatus(node: me, predecessor: nil, successors: [me], blocks: 0, bytes: 0) }
        defer { Task { await old.stop() } }
        var rng = SeededRandom(seed: 12)
        let blocks = (0..<40).map { i in rng.bytes(200 + i) }

        // A client: small puts made at once would go as a batch; the old node refuses it and gets them singly.
        let keys = SigningKeyPair()
        let entry = try await WireClient.connect(to: try PeerAddress(parsing: old.address), secure: .openDemo(identity: keys),
                                                 connectTimeout: .seconds(5))
        let client = try await RingClient.start(entry: entry, secure: .openDemo(identity: keys))
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for bytes in blocks { group.addTask { try await client.putBlock(id: BlockID.of(bytes), bytes: bytes) } }
            for try await stored in group { #expect(stored) }
        }
        #expect(old.held.withLockedValue { $0.count } == blocks.count)
        try await withThrowingTaskGroup(of: (Int, [UInt8]?).self) { group in
            for (i, bytes) in blocks.enumerated() {
                group.addTask { (i, try await client.getBlock(id: BlockID.of(bytes), excluding: [], small: true)?.bytes) }
            }
            for try await (i, got) in group { #expect(got == blocks[i], "block \(i)") }
        }
        await client.close()

        // A node: an owner copying a batch to a replica that cannot decode it sends the blocks one to a request.
        let node = try await RepairMetricsTests.Node()
        let more = (0..<10).map { i in rng.bytes(300 + i) }
        let puts = more.map { BlockPut(id: BlockID.of($0), bytes: ByteBuffer(bytes: $0)) }
        let placed = try await node.replicator.place(puts, role: .replica, to: old.identity)
        #expect(placed == Array(repeating: true, count: puts.count))
        #expect(old.held.withLockedValue { h in more.allSatisfy { h[BlockID.of($0)] != nil } })
        await node.ring.stop()
    }
}
