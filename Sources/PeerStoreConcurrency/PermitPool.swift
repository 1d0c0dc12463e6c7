/// Permits shared by a producer that must not run far ahead of its consumers and the consumers that finish its work:
/// the producer takes permits before it hands work over and the consumer gives them back when the work is done. A
/// heavier piece of work takes more permits. `close` is for consumers that stopped (they failed): every waiting and
/// every later `acquire` returns at once, with false, so the producer is never left waiting for permits that will not
/// come back.
public actor PermitPool {
    private var available: Int
    public let capacity: Int
    private var closed = false
    /// Waiting acquirers in arrival order, each with the permits it needs.
    private var waiters: [(permits: Int, continuation: CheckedContinuation<Bool, Never>)] = []

    public init(permits: Int) {
        precondition(permits > 0, "a permit pool holds at least one permit")
        available = permits
        capacity = permits
    }

    /// Waits until `permits` (at most the capacity) are free, first come first served; false once the pool is closed
    /// (nothing was taken then).
    @discardableResult
    public func acquire(_ permits: Int = 1) async -> Bool {
        if closed { return false }
        let permits = min(permits, capacity)
        if waiters.isEmpty && available >= permits {
            available -= permits
            return true
        }
        return await withCheckedContinuation { waiters.append((permits, $0)) }
    }

    /// Gives permits back and wakes the waiters that now fit, in order.
    public func release(_ permits: Int = 1) {
        available += min(permits, capacity)
        while let first = waiters.first, first.permits <= available {
            available -= first.permits
            waiters.removeFirst().continuation.resume(returning: true)
        }
    }

    /// How many acquirers are waiting (for tests and status).
    public var waiting: Int { waiters.count }

    /// Lets every waiter through without permits (they get false), and every later `acquire` too.
    public func close() {
        closed = true
        for waiter in waiters { waiter.continuation.resume(returning: false) }
        waiters = []
    }
}
