/// Runs `body` for every element, as child tasks of one task group, keeping within `limit`; `weight` gives each
/// element's share of `limit.weightLimit`. Elements start in order; each result is handed to `continueAfter` on the
/// caller's task, in the order they finish, and when it returns false no further element starts (the running ones
/// are awaited). An error from `body` or `continueAfter` cancels the running elements, starts no more, and is
/// rethrown. If the calling task is cancelled, the running elements are cancelled with it, no further one starts,
/// and `CancellationError` is thrown once they are done.
public func forEachConcurrently<Elements: Sequence, Result: Sendable>(
    _ elements: Elements,
    limit: ConcurrencyLimit,
    weight: (Elements.Element) -> Int = { _ in 0 },
    isolation: isolated (any Actor)? = #isolation,
    body: @escaping @Sendable (Elements.Element) async throws -> Result,
    continueAfter: (Result) throws -> Bool
) async throws where Elements.Element: Sendable {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var running = 0
        var runningWeight = 0
        var stopped = false
        /// Waits for one element; false once none is running.
        func takeOne() async throws -> Bool {
            guard let (w, result) = try await group.next() else { return false }
            running -= 1
            runningWeight -= w
            if try !continueAfter(result) { stopped = true }
            return true
        }
        for element in elements {
            let w = weight(element)
            while !stopped && !limit.allowsStart(running: running, weight: runningWeight) {
                guard try await takeOne() else { break }
            }
            if stopped || Task.isCancelled { break }
            running += 1
            runningWeight += w
            group.addTask { (w, try await body(element)) }
        }
        while try await takeOne() {}
    }
    try Task.checkCancellation()
}

/// `forEachConcurrently` over the elements of an async sequence (a stream of jobs, say): an element is taken from
/// the sequence only when the limit allows it to start (`weight`, as for a sequence).
public func forEachConcurrently<Elements: AsyncSequence, Result: Sendable>(
    _ elements: Elements,
    limit: ConcurrencyLimit,
    weight: (Elements.Element) -> Int = { _ in 0 },
    isolation: isolated (any Actor)? = #isolation,
    body: @escaping @Sendable (Elements.Element) async throws -> Result,
    continueAfter: (Result) throws -> Bool
) async throws where Elements.Element: Sendable {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var running = 0
        var runningWeight = 0
        var stopped = false
        func takeOne() async throws -> Bool {
            guard let (w, result) = try await group.next() else { return false }
            running -= 1
            runningWeight -= w
            if try !continueAfter(result) { stopped = true }
            return true
        }
        for try await element in elements {
            // The next element is here: make room for it first.
            let w = weight(element)
            while !stopped && !limit.allowsStart(running: running, weight: runningWeight) {
                guard try await takeOne() else { break }
            }
            if stopped || Task.isCancelled { break }
            running += 1
            runningWeight += w
            group.addTask { (w, try await body(element)) }
        }
        while try await takeOne() {}
    }
    try Task.checkCancellation()
}

/// `forEachConcurrently` with at most `limit` elements at once, each result handed to `onResult`.
public func forEachConcurrently<Elements: Sequence, Result: Sendable>(
    _ elements: Elements,
    limit: Int,
    isolation: isolated (any Actor)? = #isolation,
    body: @escaping @Sendable (Elements.Element) async throws -> Result,
    onResult: (Result) throws -> Void = { _ in }
) async throws where Elements.Element: Sendable {
    try await forEachConcurrently(elements, limit: ConcurrencyLimit(tasks: limit), body: body) { result in
        try onResult(result)
        return true
    }
}

/// `forEachConcurrently` over an async sequence with at most `limit` elements at once.
public func forEachConcurrently<Elements: AsyncSequence, Result: Sendable>(
    _ elements: Elements,
    limit: Int,
    isolation: isolated (any Actor)? = #isolation,
    body: @escaping @Sendable (Elements.Element) async throws -> Result,
    onResult: (Result) throws -> Void = { _ in }
) async throws where Elements.Element: Sendable {
    try await forEachConcurrently(elements, limit: ConcurrencyLimit(tasks: limit), body: body) { result in
        try onResult(result)
        return true
    }
}
