import Foundation

public struct TimedOut: Error, CustomStringConvertible {
    public let seconds: Double
    public init(seconds: Double) { self.seconds = seconds }
    public var description: String { "did not finish within \(seconds) s" }
}

/// Runs `body` and gives up after `seconds`, even if `body` waits on something that ignores cancellation (the
/// abandoned task is cancelled and left behind; the test fails instead of hanging).
public func withDeadline<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = LockedBox<CheckedContinuation<T, Error>?>(nil)
    return try await withCheckedThrowingContinuation { continuation in
        once.withLockedValue { $0 = continuation }
        let work = Task {
            let result: Result<T, Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            once.withLockedValue { $0.take() }?.resume(with: result)
        }
        Task {
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            if let c = once.withLockedValue({ $0.take() }) {
                work.cancel()
                c.resume(throwing: TimedOut(seconds: seconds))
            }
        }
    }
}

/// A value guarded by a lock.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLockedValue<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
