import ChordRing
import Foundation
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// The ring entries a lying node lists, set once the test has made them.
private final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [NodeIdentity] = []
    func get() -> [NodeIdentity] { lock.withLock { entries } }
    func set(_ new: [NodeIdentity]) { lock.withLock { entries = new } }
}

/// The ring client's down marks and retry pauses on a manual clock: seconds of waiting without any real wait.
@Suite("Ring client clock", .timeLimit(.minutes(1)))
struct RingClientClockTests {
    /// A genuine ring entry (its id is its key's hash) that nothing answers for.
    static func ghost() -> NodeIdentity {
        let key = SigningKeyPair().publicKey
        return NodeIdentity(id: Identifier(bytes: Blake2b.hash(key, outputLength: 32))!, address: "127.0.0.1:1", key: key)
    }

    /// Waits (bounded) until `task` is done, and says whether it finished.
    static func finishes<T: Sendable>(_ task: Task<T, Error>, within seconds: Double = 10) async -> Bool {
        (try? await withDeadline(seconds) { _ = try await task.value }) != nil
    }

    @Test func aNodeMarkedDownStaysOutOfTheViewUntilDownForPassesOnTheClock() async throws {
        // A live entry node A that lists three ghosts c1 < c2 < c3, all after A in id order, so that learning the ring
        // again (which asks the live nodes in id order) always asks A first and no ghost is asked for its status.
        let listed = LockedList()
        var node = try await LyingNode { me in NodeStatus(node: me, predecessor: nil, successors: listed.get() + [me], blocks: 0, bytes: 0) }
        let half = Identifier(bytes: [0x80] + [UInt8](repeating: 0, count: 31))!
        for _ in 0..<30 where node.id >= half {
            await node.stop()
            node = try await LyingNode { me in NodeStatus(node: me, predecessor: nil, successors: listed.get() + [me], blocks: 0, bytes: 0) }
        }
        try #require(node.id < half)
        let a = node
        defer { Task { await a.stop() } }
        var ghosts: [NodeIdentity] = []
        for _ in 0..<1000 where ghosts.count < 3 {
            let g = Self.ghost()
            if g.id > node.id { ghosts.append(g) }
        }
        try #require(ghosts.count == 3)
        ghosts.sort { $0.id < $1.id }
        listed.set(ghosts)
        let (c1, c2, c3) = (ghosts[0].id, ghosts[1].id, ghosts[2].id)
        let sorted = [node.id, c1, c2, c3]

        let clock = ManualClock()
        var settings = RingClient.Settings()
        settings.firstPause = .milliseconds(250)
        settings.downFor = .seconds(20)
        let entry = try await WireClient.connect(to: try PeerAddress(parsing: node.address), secure: .openDemo(), connectTimeout: .seconds(5))
        let ring = try await RingClient.start(entry: entry, secure: .openDemo(), settings: settings, clock: clock)
        #expect(Set(await ring.nodes.map(\.id)) == Set(sorted))

        // t = 0: c3 owns its own id and does not answer: marked down, and the retry waits 250 ms on the clock.
        let first = Task { try await ring.getRecord(key: c3) }
        try await clock.waitForSleepers(1)
        #expect(clock.deadlines == [.milliseconds(250)])
        clock.advance(by: .milliseconds(249))
        try await Task.sleep(for: .milliseconds(50))
        #expect(clock.sleeperCount == 1, "the retry did not wait for its pause")
        clock.advance(by: .milliseconds(1))
        // The retry learned the ring again without c3 and asked A (c3's id wraps around to A), which has no record.
        #expect(await Self.finishes(first))
        #expect(try await first.value == nil)
        #expect(Set(await ring.nodes.map(\.id)) == [node.id, c1, c2])

        // t = 10 s: c2 fails too; learning again at 10.25 s still leaves c3 out (down until 20 s).
        clock.advance(by: .milliseconds(9750))
        let second = Task { try await ring.getRecord(key: c2) }
        try await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(250))
        #expect(await Self.finishes(second))
        #expect(Set(await ring.nodes.map(\.id)) == [node.id, c1])

        // t = 20.5 s: c1 fails; learning again at 20.75 s takes c3 back (its 20 s are over), not c2 (down until 30.25 s).
        clock.advance(by: .milliseconds(10250))
        let third = Task { try await ring.getRecord(key: c1) }
        try await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(250))
        // c3 now owns c1's id, fails again, and the next retry waits twice the pause.
        try await clock.waitForSleepers(1)
        #expect(clock.deadlines == [clock.now() + .milliseconds(500)])
        #expect(Set(await ring.nodes.map(\.id)) == [node.id, c3])
        third.cancel()
        await #expect(throws: CancellationError.self) { try await third.value }
        #expect(clock.sleeperCount == 0)
        await ring.close()
    }
}
