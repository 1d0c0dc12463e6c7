import BlockStore
import ChordRing
import Metrics

/// The gauges of a node that are read rather than counted: what the store holds and how much of the ring this node
/// knows. `record` reads them now (an exporter calls it before each scrape).
public struct NodeGauges: Sendable {
    let store: BlockStore
    let ring: RingService
    /// Where the gauges go (nil: the process's bootstrapped backend).
    let metrics: (any MetricsFactory)?

    public init(store: BlockStore, ring: RingService, metrics: (any MetricsFactory)? = nil) {
        self.store = store
        self.ring = ring
        self.metrics = metrics
    }

    public init(_ parts: NodeParts, metrics: (any MetricsFactory)? = nil) {
        self.init(store: parts.store, ring: parts.ring, metrics: metrics)
    }

    /// Records every gauge from the store's and the ring's state now.
    public func record() async {
        let factory = metrics ?? MetricsSystem.factory
        let stats = store.stats
        let segmentBytes = store.segmentUsage.reduce(0) { $0 + $1.total }
        Gauge(label: "peerstore_store_blocks", factory: factory).record(stats.blocks)
        Gauge(label: "peerstore_store_block_bytes", factory: factory).record(stats.blockBytes)
        Gauge(label: "peerstore_store_records", factory: factory).record(stats.records)
        Gauge(label: "peerstore_store_segments", factory: factory).record(stats.segments)
        Gauge(label: "peerstore_store_segment_bytes", factory: factory).record(segmentBytes)
        let me = ring.me.id
        let known = await ring.knownNodes.union([me]).count
        let successors = Set(await ring.successors.map(\.id)).subtracting([me]).count
        let joined = await ring.isJoined
        Gauge(label: "peerstore_ring_known_nodes", factory: factory).record(known)
        Gauge(label: "peerstore_ring_successors", factory: factory).record(successors)
        Gauge(label: "peerstore_ring_joined", factory: factory).record(joined ? 1 : 0)
    }
}
