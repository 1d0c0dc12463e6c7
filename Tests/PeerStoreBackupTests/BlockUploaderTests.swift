import ChordRing
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// A ring stand-in: holds some blocks already, takes puts after a short random delay, and records what it got.
private actor FakeSink: BlockSink {
    private(set) var stored: [Identifier: Int] = [:]
    private(set) var putsStarted = 0
    private(set) var maxConcurrentPuts = 0
    private var concurrentPuts = 0
    private var haveAsked = 0
    let present: Set<Identifier>

    init(present: Set<Identifier>) { self.present = present }

    func haveBlocks(_ ids: [Identifier]) async throws -> [Bool] {
        haveAsked += ids.count
        return ids.map { present.contains($0) || stored[$0] != nil }
    }

    func putBlock(id: Identifier, bytes: [UInt8]) async throws -> Bool {
        putsStarted += 1
        concurrentPuts += 1
        maxConcurrentPuts = max(maxConcurrentPuts, concurrentPuts)
        try await Task.sleep(nanoseconds: UInt64.random(in: 0...300_000))
        concurrentPuts -= 1
        stored[id, default: 0] += 1
        return true
    }
}

struct BlockUploaderTests {
    private func block(_ n: Int, size: Int) -> (Identifier, [UInt8]) {
        return (Identifier(words: (UInt64(n) << 40, 0x9e37_79b9, 0, 0)), [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: size))
    }

    /// Many files add blocks at once (as the backup's readers do): when `finish` returns, every distinct block that
    /// was missing has been stored exactly once, and nothing the ring held was sent again.
    @Test func concurrentAddersAllLandBeforeFinishReturns() async throws {
        let present = Set((0..<50).map { block($0 * 7, size: 1).0 })
        let sink = FakeSink(present: present)
        var settings = BlockUploader.Settings()
        settings.windowBytes = 16 << 10  // many small windows, so adders race on window hand-over
        settings.batchesInFlight = 2
        settings.putsInFlight = 5
        settings.putBytesInFlight = 8 << 10
        let uploader = BlockUploader(client: sink, settings: settings)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for adder in 0..<8 {
                group.addTask {
                    for i in 0..<150 {
                        // Overlapping ids across adders: the same block offered twice is sent once.
                        let (id, bytes) = self.block((adder * 100 + i) % 700, size: 100 + (i * 37) % 2000)
                        try await uploader.add(id: id, bytes: bytes)
                    }
                }
            }
            try await group.waitForAll()
        }
        let stats = try await uploader.finish()
        let stored = await sink.stored
        let offered = Set((0..<8).flatMap { adder in (0..<150).map { block((adder * 100 + $0) % 700, size: 1).0 } })
        let expected = offered.subtracting(present)
        #expect(expected.subtracting(stored.keys).count == 0, "blocks not stored when finish returned")
        #expect(stored.count == expected.count)
        #expect(stored.values.allSatisfy { $0 == 1 })
        #expect(stats.blocksOffered == 8 * 150)
        #expect(stats.blocksSent == expected.count)
        #expect(await sink.putsStarted == expected.count)
        // Puts in flight are bounded by the windows on the wire times the puts per window.
        #expect(await sink.maxConcurrentPuts <= (settings.batchesInFlight + 8) * settings.putsInFlight)
        #expect(await sink.maxConcurrentPuts > 1)
    }

    @Test func aFailedPutFailsFinish() async throws {
        struct Refused: Error {}
        actor FailingSink: BlockSink {
            func haveBlocks(_ ids: [Identifier]) async throws -> [Bool] { ids.map { _ in false } }
            func putBlock(id: Identifier, bytes: [UInt8]) async throws -> Bool { throw Refused() }
        }
        let uploader = BlockUploader(client: FailingSink())
        try await uploader.add(id: block(1, size: 10).0, bytes: block(1, size: 10).1)
        await #expect(throws: Refused.self) { _ = try await uploader.finish() }
    }
}
