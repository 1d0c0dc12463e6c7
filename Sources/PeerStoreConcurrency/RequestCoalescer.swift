import Synchronization

/// Gathers single requests made at once into batches: with fewer than `maxInFlight` batches out, a request goes at
/// once (alone, if nothing else waits); otherwise it waits, and the next batch to go takes every request waiting then,
/// up to `maxItems` and `maxWeight` (at least one). No timer: batches form only from requests that would otherwise
/// queue behind the ones in flight, so a lone request waits for nothing.
///
/// `send` answers a batch with one answer per item, in order; an error it throws is every item's error. The
/// `send` given with the request that starts a batch sends it and every batch after it on that runner, so callers
/// give equivalent closures.
public final class RequestCoalescer<Item: Sendable, Answer: Sendable>: Sendable {
    public typealias Send = @Sendable ([Item]) async throws -> [Answer]

    private struct Waiting {
        var item: Item
        var weight: Int
        var continuation: CheckedContinuation<Answer, Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var inFlight = 0
    }

    public let maxInFlight: Int
    public let maxItems: Int
    public let maxWeight: Int
    private let state = Mutex(State())

    public init(maxInFlight: Int, maxItems: Int, maxWeight: Int = .max) {
        self.maxInFlight = max(1, maxInFlight)
        self.maxItems = max(1, maxItems)
        self.maxWeight = maxWeight
    }

    /// Requests waiting for a batch to go (for tests).
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// The answer to `item`, sent in a batch with whatever else waits (`weight` counts towards `maxWeight`).
    public func submit(_ item: Item, weight: Int = 0, send: @escaping Send) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            let batch = state.withLock { state -> [Waiting]? in
                state.waiting.append(Waiting(item: item, weight: weight, continuation: continuation))
                guard state.inFlight < maxInFlight else { return nil }
                state.inFlight += 1
                return take(from: &state)
            }
            if let batch { Task { await self.run(batch, send: send) } }
        }
    }

    /// Sends `batch`, then every batch that waits when it is answered, until none does.
    private func run(_ first: [Waiting], send: Send) async {
        var batch = first
        while true {
            do {
                let answers = try await send(batch.map(\.item))
                guard answers.count == batch.count else {
                    throw CoalescerError(message: "a batch of \(batch.count) got \(answers.count) answers")
                }
                for (waiting, answer) in zip(batch, answers) { waiting.continuation.resume(returning: answer) }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
            guard let next = state.withLock({ state -> [Waiting]? in
                guard !state.waiting.isEmpty else {
                    state.inFlight -= 1
                    return nil
                }
                return take(from: &state)
            }) else { return }
            batch = next
        }
    }

    /// The oldest waiting requests within the bounds (at least one).
    private func take(from state: inout State) -> [Waiting] {
        var count = 0
        var weight = 0
        for waiting in state.waiting {
            if count > 0 && (count == maxItems || weight + waiting.weight > maxWeight) { break }
            count += 1
            weight += waiting.weight
        }
        let batch = Array(state.waiting.prefix(count))
        state.waiting.removeFirst(count)
        return batch
    }
}

/// A batch's sender broke the coalescer's contract (one answer per item).
public struct CoalescerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
