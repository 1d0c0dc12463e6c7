import BlockStore
import ChordRing
import Foundation
import Logging
import MetricsTestKit
import NIOCore
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

@testable import PeerStoreNode

/// Anti-entropy's and read repair's metrics, through a test metrics backend handed to the node's parts (no global
/// bootstrap, so other tests' nodes do not add to these counts).
@Suite(.timeLimit(.minutes(1)))
struct RepairMetricsTests {
    /// A ring of one over a fresh store.
    struct Node {
        let fixture: ProcessorFixture
        let ring: RingService
        let replicator: Replicator
        let logger: Logger

        init() async throws {
            fixture = try ProcessorFixture()
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            self.logger = logger
            let transport = NodeTransport(identity: SigningKeyPair(), networkKey: .openDemo, logger: logger)
            ring = RingService(me: fixture.node, settings: ChordSettings(), transport: transport, logger: logger)
            await ring.startAlone()
            replicator = Replicator(ring: ring, transport: transport, replicas: 3, logger: logger)
        }
    }

    @Test func everyAntiEntropyRoundIsCountedAndTimed() async throws {
        let node = try await Node()
        let metrics = TestMetrics()
        let antiEntropy = AntiEntropy(store: node.fixture.store, replicator: node.replicator, interval: .milliseconds(5),
                                      logger: node.logger, metrics: metrics)
        let running = Task { await antiEntropy.run() }
        let deadline = ContinuousClock.now + .seconds(20)
        while metrics.counterTotal(label: "peerstore_repair_rounds_total") < 3 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        running.cancel()
        await running.value
        let rounds = metrics.counterTotal(label: "peerstore_repair_rounds_total")
        #expect(rounds >= 3)
        #expect(try metrics.expectTimer("peerstore_repair_round_duration").values.count == Int(rounds))
        // A ring of one has nobody to copy to.
        #expect(try metrics.expectCounter("peerstore_repair_copies_total", [("kind", "round")]).totalValue == 0)
        await node.ring.stop()
    }

    @Test func copiesAreCountedByKind() throws {
        let metrics = TestMetrics()
        RepairMetrics.round(copies: 5, after: .milliseconds(3), factory: metrics)
        RepairMetrics.handOff(copies: 2, factory: metrics)
        RepairMetrics.handOff(copies: 1, factory: metrics)
        #expect(try metrics.expectCounter("peerstore_repair_rounds_total").totalValue == 1)
        #expect(try metrics.expectCounter("peerstore_repair_copies_total", [("kind", "round")]).totalValue == 5)
        #expect(try metrics.expectCounter("peerstore_repair_copies_total", [("kind", "handoff")]).totalValue == 3)
        #expect(try metrics.expectTimer("peerstore_repair_round_duration").values == [3_000_000])
    }

    @Test func aDamagedCopyNoHolderCanReplaceIsCountedAsAFailedReadRepair() async throws {
        let node = try await Node()
        let metrics = TestMetrics()
        let local = node.fixture.processor.local
        let coordinator = RingCoordinator(replicator: node.replicator, local: local, logger: node.logger, metrics: metrics)
        var rng = SeededRandom(seed: 9)
        let bytes = rng.bytes(4096)
        let id = BlockID.of(bytes)
        _ = try await node.fixture.store.put(id: id, bytes: bytes)

        // An intact copy is read without any repair.
        #expect(await coordinator.readBlock(id) == .block(bytes: ByteBuffer(bytes: bytes)))
        #expect(metrics.counterTotal(label: "peerstore_read_repairs_total") == 0)

        try Self.flipByte(of: bytes, under: node.fixture.dir.sub("data"))
        guard case .error(let error) = await coordinator.readBlock(id) else {
            Issue.record("a damaged block with no other holder was served")
            return
        }
        #expect(error.code == .corruptBlock, "\(error)")
        #expect(metrics.counterTotal(label: "peerstore_read_repairs_total", dimensions: [("kind", "block"), ("result", "failed")]) == 1)
        #expect(metrics.counterTotal(label: "peerstore_read_repairs_total", dimensions: [("result", "ok")]) == 0)
        await node.ring.stop()
    }

    @Test func readRepairsAreCountedByKindAndResult() throws {
        let metrics = TestMetrics()
        ReadRepairMetrics.repaired("block", succeeded: true, factory: metrics)
        ReadRepairMetrics.repaired("record", succeeded: true, factory: metrics)
        ReadRepairMetrics.repaired("record", succeeded: true, factory: metrics)
        ReadRepairMetrics.repaired("record", succeeded: false, factory: metrics)
        let label = "peerstore_read_repairs_total"
        #expect(try metrics.expectCounter(label, [("kind", "block"), ("result", "ok")]).totalValue == 1)
        #expect(try metrics.expectCounter(label, [("kind", "record"), ("result", "ok")]).totalValue == 2)
        #expect(try metrics.expectCounter(label, [("kind", "record"), ("result", "failed")]).totalValue == 1)
    }

    /// Flips one byte in the middle of the block's bytes where they lie in a segment file of `dataPath`.
    static func flipByte(of bytes: [UInt8], under dataPath: String) throws {
        let dir = dataPath + "/segments"
        let probe = Data(bytes[2000..<2064])
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasSuffix(".seg") {
            let path = dir + "/" + name
            guard let data = FileManager.default.contents(atPath: path), let range = data.range(of: probe) else { continue }
            let at = range.lowerBound + 32
            guard let handle = FileHandle(forUpdatingAtPath: path) else { throw TestKitError("cannot open \(path)") }
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(at))
            try handle.write(contentsOf: Data([data[at] ^ 0xff]))
            return
        }
        throw TestKitError("the block's bytes are in no segment of \(dir)")
    }
}
