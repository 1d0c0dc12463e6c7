import BlockStore
import ChordRing
import PeerStoreWire

/// Settings of a storage node, with defaults that work without reading a manual.
public struct NodeSettings: Sendable {
    /// Where the node listens. A bare `:PORT` means 127.0.0.1; other machines need a host they can reach (or a wildcard
    /// with `advertiseAddress`).
    public var listenAddress: PeerAddress
    /// The node's data path: segments, lock and node key.
    public var dataPath: String
    /// The peer to join. A node given one never founds a ring of its own unless `startRingIfAlone` says so.
    public var initialPeer: PeerAddress?
    /// The address other nodes and clients reach this node at, when it is not the listen address (which must then be
    /// a wildcard or an address they cannot use). Port 0: the bound port.
    public var advertiseAddress: PeerAddress?
    /// While the initial peer cannot be joined, run a ring of one meanwhile (and keep trying the peer).
    public var startRingIfAlone = false
    public var maxFrameSize: Int = Frame.defaultMaxSize
    /// Requests of one connection handled at once; further frames wait in the socket (backpressure).
    public var maxInFlightPerConnection: Int = 64
    /// Bytes of frames begun and not yet complete that all connections may hold together (each at most a frame), and
    /// how long a frame may take to arrive once begun: peers that stall mid-frame are disconnected.
    public var partialFrameBudget: Int = 512 << 20
    public var partialFrameDeadline = PartialFrameGuard.Deadline()
    /// Connections still in the secure handshake kept at once (past it, the oldest is closed), and authenticated
    /// connections of one key (past it, that key's oldest is closed): a flood of connections cannot keep others out.
    public var maxHandshakingConnections = 256
    public var maxConnectionsPerKey = 32
    /// The ring's network key; the open demo key when none is given.
    public var networkKey: NetworkKey = .openDemo
    /// With a list, only these users (Ed25519 public keys) may store; anyone with the network key may still read.
    public var allowedUsers: Set<[UInt8]>?
    /// Chord settings of the live ring (successor-list length, periods, timeouts).
    public var ring: ChordSettings = {
        var s = ChordSettings()
        s.successorListLength = 8
        return s
    }()
    /// k: copies of every block and record, on the owner and the next k-1 distinct physical nodes.
    public var replicas: Int = 3
    /// How often a node compares the range it owns with its replicas and copies what they lack.
    public var antiEntropyInterval: Duration = .seconds(10)
    /// A new segment file is started once one would pass this size (`-segmentMiB`).
    public var maxSegmentSize = BlockStoreSettings().maxSegmentSize
    /// Compact segments whose live fraction falls below this (`-compactBelow`; 0 turns compaction off).
    public var compactBelow: Double = 0.5
    /// How often the compactor rewrites at most one segment.
    public var compactionInterval: Duration = .seconds(30)
    /// Time between scrub passes (`-scrubInterval`; nil: no scrubbing).
    public var scrubInterval: Duration? = .seconds(86_400)
    /// The scrubber reads at most this many bytes a second on average (`-scrubRate`; 0: no limit).
    public var scrubBytesPerSecond: Int = 16 << 20
    /// Garbage collection: grace period, lease expiry, B.
    public var leases = LeaseSettings()
    /// While alone because the initial peer did not answer, try it again this often.
    public var rejoinInterval: Duration = .seconds(3)
    /// A peer that has not completed the handshake by then is dropped.
    public var handshakeTimeout: Duration = .seconds(10)
    /// Deadlines of this node's requests to other nodes: a replica, owner or peer that does not answer in time is
    /// skipped and counted as down for a while.
    public var peerDeadlines = NodeTransport.Deadlines()

    public init(listenAddress: PeerAddress, dataPath: String, initialPeer: PeerAddress? = nil) {
        self.listenAddress = listenAddress
        self.dataPath = dataPath
        self.initialPeer = initialPeer
    }
}
