import NIOPosix

/// Threads for blocking system calls that may wait for a disk: file and segment reads.
///
/// Swift's concurrency pool has one thread per core. A read that waits for the disk holds its thread: on two cores,
/// two cold reads stop all other work in the process, and no more than two reads are ever waiting at once. Calls made
/// through `run` wait on these threads instead, up to `count` at a time, while the pool's threads go on. The threads
/// live as long as the process (the instances are statics); idle, they cost nothing.
public final class BlockingThreads: Sendable {
    public let count: Int
    private let pool: NIOThreadPool

    public init(count: Int) {
        self.count = count
        pool = NIOThreadPool(numberOfThreads: count)
        pool.start()
    }

    /// Runs `body` on one of the threads and returns what it returned (or throws what it threw). A task cancelled
    /// before a thread took `body` throws `CancellationError` without running it.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
