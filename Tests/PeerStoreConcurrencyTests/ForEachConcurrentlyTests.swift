import Testing

@testable import PeerStoreConcurrency

/// Counts the bodies running at once and the highest count seen.
private actor Gauge {
    private(set) var running = 0
    private(set) var peak = 0
    private(set) var weight = 0
    private(set) var peakWeight = 0
    private(set) var started: [Int] = []

    func enter(_ n: Int, weight w: Int = 0) {
        started.append(n)
        running += 1
        weight += w
        peak = max(peak, running)
        peakWeight = max(peakWeight, weight)
    }

    func leave(weight w: Int = 0) {
        running -= 1
        weight -= w
    }
}

private struct Boom: Error, Equatable { let n: Int }

struct ForEachConcurrentlyTests {
    /// Many elements, random delays: never more than the limit at once, the limit is reached, every element runs
    /// once and its result is handed back.
    @Test func boundIsKeptAndEveryElementRuns() async throws {
        let gauge = Gauge()
        var results: [Int] = []
        try await forEachConcurrently(0..<200, limit: 5) { n in
            await gauge.enter(n)
            try await Task.sleep(nanoseconds: UInt64.random(in: 0...400_000))
            await gauge.leave()
            return n * 2
        } onResult: { results.append($0) }
        #expect(await gauge.peak == 5)
        #expect(results.sorted() == (0..<200).map { $0 * 2 })
        #expect(await gauge.started.sorted() == Array(0..<200), "each element runs once")
    }

    /// Fewer elements than the limit, and none at all.
    @Test func shortAndEmptyInputs() async throws {
        var seen: [Int] = []
        try await forEachConcurrently([7, 8], limit: 16, body: { $0 }) { seen.append($0) }
        #expect(seen.sorted() == [7, 8])
        try await forEachConcurrently([Int](), limit: 4, body: { $0 }) { _ in Issue.record("no element, no result") }
    }

    /// A limit below one still runs every element, one at a time.
    @Test func limitBelowOneRunsOneAtATime() async throws {
        let gauge = Gauge()
        var count = 0
        try await forEachConcurrently(0..<10, limit: 0) { n in
            await gauge.enter(n)
            await Task.yield()
            await gauge.leave()
        } onResult: { count += 1 }
        #expect(count == 10)
        #expect(await gauge.peak == 1)
    }

    /// Weighted: no start while the running elements weigh the weight limit or more, but one always runs, even a
    /// heavy one.
    @Test func weightLimitIsKept() async throws {
        let gauge = Gauge()
        let weights = (0..<120).map { $0 % 7 == 0 ? 50 : ($0 % 5) + 1 }
        var done = 0
        try await forEachConcurrently(
            Array(weights.enumerated()), limit: ConcurrencyLimit(tasks: 8, weightLimit: 10), weight: { $0.1 }
        ) { (n, w) in
            await gauge.enter(n, weight: w)
            try await Task.sleep(nanoseconds: UInt64.random(in: 0...300_000))
            await gauge.leave(weight: w)
        } continueAfter: { _ in
            done += 1
            return true
        }
        #expect(done == weights.count)
        #expect(await gauge.peak <= 8)
        // A start happens only below the weight limit, so the total is under it plus the one element that started.
        #expect(await gauge.peakWeight < 10 + 50)
        #expect(await gauge.peak > 1)
    }

    @Test func allowsStartRule() {
        let limit = ConcurrencyLimit(tasks: 3, weightLimit: 100)
        #expect(limit.allowsStart(running: 0, weight: 500))
        #expect(limit.allowsStart(running: 2, weight: 99))
        #expect(!limit.allowsStart(running: 2, weight: 100))
        #expect(!limit.allowsStart(running: 3, weight: 0))
        #expect(ConcurrencyLimit(tasks: 0).allowsStart(running: 0, weight: 0))
        #expect(!ConcurrencyLimit(tasks: 0).allowsStart(running: 1, weight: 0))
    }

    /// An error stops the rest: it is rethrown, the running bodies are cancelled, and no element starts after it.
    @Test func errorStopsTheRestAndIsRethrown() async throws {
        let gauge = Gauge()
        await #expect(throws: Boom(n: 10)) {
            try await forEachConcurrently(0..<1000, limit: 4) { n in
                await gauge.enter(n)
                if n == 10 { throw Boom(n: 10) }
                if n > 10 { try await Task.sleep(for: .seconds(30)) }  // cancelled by the error, not waited out
            }
        }
        let started = await gauge.started
        #expect(started.count <= 14, "at most the limit started beside the failing one: \(started.count)")
        #expect(started.contains(10))
    }

    /// `continueAfter` returning false stops further starts; the running ones finish and are handed back.
    @Test func stopAfterAResult() async throws {
        let gauge = Gauge()
        var results: [Int] = []
        try await forEachConcurrently(0..<100, limit: ConcurrencyLimit(tasks: 3)) { n in
            await gauge.enter(n)
            return n
        } continueAfter: { n in
            results.append(n)
            return results.count < 5
        }
        let started = await gauge.started.count
        #expect(results.count == started, "every started element is handed back")
        #expect(started >= 5 && started <= 7)
    }

    /// Cancelling the caller cancels the running bodies, starts no more, and throws `CancellationError`.
    @Test func cancellationStopsAndThrows() async throws {
        let gauge = Gauge()
        let task = Task {
            try await forEachConcurrently(0..<1000, limit: 3) { n in
                await gauge.enter(n)
                try await Task.sleep(for: .seconds(30))
            }
        }
        while await gauge.running < 3 { await Task.yield() }
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.now - start < .seconds(10))
        #expect(await gauge.started.count == 3)
    }

    /// Bodies that end normally when cancelled (they do not throw): still no further element starts, and the
    /// cancellation is reported.
    @Test func cancellationStopsBodiesThatDoNotThrow() async throws {
        let gauge = Gauge()
        let task = Task {
            try await forEachConcurrently(0..<1000, limit: 3) { n in
                await gauge.enter(n)
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(1)) }
            }
        }
        while await gauge.running < 3 { await Task.yield() }
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.now - start < .seconds(10))
        #expect(await gauge.started.count == 3)
    }

    /// Over an async sequence: elements are taken as they come, within the bound, and every one runs.
    @Test func asyncSequenceBoundAndCompleteness() async throws {
        let (stream, feed) = AsyncStream.makeStream(of: Int.self)
        let gauge = Gauge()
        let producer = Task {
            for n in 0..<150 {
                feed.yield(n)
                if n % 10 == 0 { await Task.yield() }
            }
            feed.finish()
        }
        var results = Set<Int>()
        try await forEachConcurrently(stream, limit: 4) { n in
            await gauge.enter(n)
            try await Task.sleep(nanoseconds: UInt64.random(in: 0...300_000))
            await gauge.leave()
            return n
        } onResult: { results.insert($0) }
        await producer.value
        #expect(results == Set(0..<150))
        #expect(await gauge.peak <= 4)
        #expect(await gauge.peak > 1)
    }

    /// An error over an async sequence is rethrown too.
    @Test func asyncSequenceErrorIsRethrown() async throws {
        let stream = AsyncStream<Int> { c in
            for n in 0..<50 { c.yield(n) }
            c.finish()
        }
        var count = 0
        await #expect(throws: Boom(n: 3)) {
            try await forEachConcurrently(stream, limit: 2) { n in
                if n == 3 { throw Boom(n: 3) }
                return n
            } onResult: { _ in count += 1 }
        }
        #expect(count < 50)
    }
}
