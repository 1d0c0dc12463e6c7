/// How much file reading a backup does at once. The walk takes permits before it starts reading a file and the
/// reading task gives them back when done, so the walk never runs far ahead of the readers. A large file takes more
/// permits than a small one (it holds a full chunk buffer and keeps a core busy), so many small files, whose time is
/// mostly waiting for the disk, are read side by side while only a couple of large ones are.
actor FileReadLimit {
    private var available: Int
    private let capacity: Int
    /// Waiting acquirers in arrival order, each with the permits it needs.
    private var waiters: [(permits: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(permits: Int) {
        precondition(permits > 0, "a backup reads at least one file at a time")
        available = permits
        capacity = permits
    }

    /// Waits until `permits` (at most the capacity) are free, first come first served.
    func acquire(_ permits: Int = 1) async {
        let permits = min(permits, capacity)
        if waiters.isEmpty && available >= permits {
            available -= permits
            return
        }
        await withCheckedContinuation { waiters.append((permits, $0)) }
    }

    /// Gives permits back and wakes the waiters that now fit, in order.
    func release(_ permits: Int = 1) {
        available += min(permits, capacity)
        while let first = waiters.first, first.permits <= available {
            available -= first.permits
            waiters.removeFirst().continuation.resume()
        }
    }
}
