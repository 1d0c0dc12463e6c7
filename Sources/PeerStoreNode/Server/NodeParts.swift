import BlockStore
import ChordRing
import Logging
import PeerStoreWire

/// The parts of a running node, built once and shared: what serves requests, what keeps the ring, what repairs it.
/// The server builds them when it knows the address it advertises; tests and further services (metrics, a status
/// page, a scrubber, garbage collection) reach the node through them.
public struct NodeParts: Sendable {
    public let store: BlockStore
    public let nodeKey: NodeKey
    /// This node as the ring and clients see it: never a wildcard, and a loopback address only on a local ring.
    public let me: NodeIdentity
    public let transport: NodeTransport
    public let ring: RingService
    public let replicator: Replicator
    public let processor: RequestProcessor
    public let antiEntropy: AntiEntropy
    public let compactor: Compactor
    /// Deletes garbage of the range this node owns (`-gracePeriod`, `-expireLeases`).
    public let collector: LeaseCollector
    /// Reads and checks every stored entry now and then, dropping damaged copies (`-scrubInterval`, `-scrubRate`).
    public let scrubber: Scrubber

    /// Wires the parts together over an open store and key, for a node advertised at `advertised`.
    public init(settings: NodeSettings, store: BlockStore, nodeKey: NodeKey, advertised: PeerAddress, logger: Logger) {
        let me = NodeIdentity(id: nodeKey.id, address: advertised.description, key: nodeKey.keys.publicKey)
        let transport = NodeTransport(identity: nodeKey.keys, networkKey: settings.networkKey, deadlines: settings.peerDeadlines,
                                      logger: logger)
        let ring = RingService(me: me, settings: settings.ring, transport: transport, logger: logger)
        let replicator = Replicator(ring: ring, transport: transport, replicas: settings.replicas, logger: logger)
        let activity = ActivityLog()
        let local = LocalStore(store: store, node: me, leases: settings.leases, activity: activity, logger: logger)
        self.store = store
        self.nodeKey = nodeKey
        self.me = me
        self.transport = transport
        self.ring = ring
        self.replicator = replicator
        processor = RequestProcessor(
            local: local, policy: AccessPolicy(allowedUsers: settings.allowedUsers),
            coordinator: RingCoordinator(replicator: replicator, local: local, logger: logger))
        antiEntropy = AntiEntropy(store: store, replicator: replicator, interval: settings.antiEntropyInterval, logger: logger,
                                  activity: activity)
        compactor = Compactor(store: store, plan: CompactionPlan(threshold: settings.compactBelow),
                              interval: settings.compactionInterval, logger: logger)
        collector = LeaseCollector(store: store, replicator: replicator, settings: settings.leases, logger: logger)
        scrubber = Scrubber(store: store, interval: settings.scrubInterval, pace: ScrubPace(bytesPerSecond: settings.scrubBytesPerSecond),
                            logger: logger, stamp: ScrubStamp(dataPath: settings.dataPath))
    }
}
