import Metrics

/// The store's counters and timer (swift-metrics; the process's bootstrapped backend, none by default). Made per
/// store, from `factory`, so that a test can hand a store its own backend.
struct StoreMetrics: Sendable {
    /// Blocks newly stored (a put of a block already held is not counted).
    let puts: Counter
    /// Blocks read and verified.
    let gets: Counter
    /// Bytes of blocks newly stored.
    let bytesIn: Counter
    /// Bytes of blocks read.
    let bytesOut: Counter
    /// From a block put's arrival to its durability (includes waiting for the group commit).
    let putDuration: Timer

    init(factory: any MetricsFactory) {
        puts = Counter(label: "peerstore_store_block_puts_total", factory: factory)
        gets = Counter(label: "peerstore_store_block_gets_total", factory: factory)
        bytesIn = Counter(label: "peerstore_store_bytes_in_total", factory: factory)
        bytesOut = Counter(label: "peerstore_store_bytes_out_total", factory: factory)
        putDuration = Timer(label: "peerstore_store_block_put_duration", factory: factory)
    }
}
