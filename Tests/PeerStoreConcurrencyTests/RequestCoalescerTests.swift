import Synchronization
import Testing

@testable import PeerStoreConcurrency

/// A sender that records every batch and holds each until released.
final class HeldSender: Sendable {
    let batches = Mutex<[[Int]]>([])
    let gate = AsyncGate()

    func send(_ items: [Int]) async throws -> [Int] {
        batches.withLock { $0.append(items) }
        await gate.wait()
        return items.map { $0 * 10 }
    }
}

/// Answers by item, from many tasks.
final class Answers: Sendable {
    let map = Mutex<[Int: Int]>([:])
}

/// Opens once; every waiter before and after passes.
final class AsyncGate: Sendable {
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { c in
            let open = state.withLock { s -> Bool in
                if !s.open { s.waiting.append(c) }
                return s.open
            }
            if open { c.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.open = true
            defer { s.waiting = [] }
            return s.waiting
        }
        for c in waiting { c.resume() }
    }
}

/// Requests made while batches are in flight form the next batch, within its bounds; a lone request goes alone.
@Suite(.timeLimit(.minutes(1)))
struct RequestCoalescerTests {
    /// Waits (bounded) until `condition` holds.
    func eventually(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw CoalescerError(message: "timed out") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func aLoneRequestGoesAloneAndGetsItsAnswer() async throws {
        let coalescer = RequestCoalescer<Int, Int>(maxInFlight: 2, maxItems: 8)
        let sender = HeldSender()
        sender.gate.open()
        #expect(try await coalescer.submit(7, send: sender.send) == 70)
        #expect(sender.batches.withLock { $0 } == [[7]])
    }

    @Test func requestsMadeWhileBatchesAreOutFormBoundedBatches() async throws {
        let coalescer = RequestCoalescer<Int, Int>(maxInFlight: 1, maxItems: 3, maxWeight: 25)
        let sender = HeldSender()
        let answers = Answers()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await coalescer.submit(0, weight: 10, send: sender.send) }
            try await eventually { sender.batches.withLock { $0.count } == 1 }
            // While the first is held, seven more wait: they go as [1, 2] (weight 20; the third's 10 would pass 25),
            // then [3, 4, 5] (the item bound), then [6, 7].
            for i in 1...7 {
                let weight = i <= 3 ? 10 : 0
                group.addTask {
                    let answer = try await coalescer.submit(i, weight: weight, send: sender.send)
                    answers.map.withLock { $0[i] = answer }
                }
                try await eventually { coalescer.waitingCount == i }
            }
            try await Task.sleep(for: .milliseconds(50))
            #expect(sender.batches.withLock { $0.count } == 1, "nothing more goes while the one batch allowed is out")
            sender.gate.open()
            try await group.waitForAll()
        }
        let batches = sender.batches.withLock { $0 }
        #expect(batches.first == [0])
        #expect(batches.flatMap { $0 }.sorted() == Array(0...7))
        #expect(batches.allSatisfy { $0.count <= 3 })
        #expect(batches == [[0], [1, 2], [3, 4, 5], [6, 7]])
        #expect(answers.map.withLock { $0 } == Dictionary(uniqueKeysWithValues: (1...7).map { ($0, $0 * 10) }))
    }

    @Test func aFailedBatchFailsEveryRequestInItAndTheNextBatchStillGoes() async throws {
        struct Refused: Error {}
        let coalescer = RequestCoalescer<Int, Int>(maxInFlight: 1, maxItems: 8)
        let calls = Answers()
        let failing: RequestCoalescer<Int, Int>.Send = { items in
            let n = calls.map.withLock { $0[0, default: 0] += 1; return $0[0]! }
            if n == 1 { throw Refused() }
            return items
        }
        await #expect(throws: Refused.self) { try await coalescer.submit(1, send: failing) }
        #expect(try await coalescer.submit(2, send: failing) == 2)
        let short: RequestCoalescer<Int, Int>.Send = { _ in [] }
        await #expect(throws: CoalescerError.self) { try await coalescer.submit(3, send: short) }
    }
}
