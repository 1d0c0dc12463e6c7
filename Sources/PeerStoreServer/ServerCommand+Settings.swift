import Foundation
import PeerStoreNode
import PeerStoreWire

extension ServerCommand {
    /// The node's settings from the flags.
    func nodeSettings(listen: PeerAddress, dataPath path: String) throws -> NodeSettings {
        let initial = try initialPeerAddr.flatMap { $0.isEmpty ? nil : try PeerAddress(parsing: $0) }
        var settings = NodeSettings(listenAddress: listen, dataPath: path, initialPeer: initial)
        settings.advertiseAddress = try advertiseAddr.flatMap { $0.isEmpty ? nil : try PeerAddress(parsing: $0) }
        settings.startRingIfAlone = startRingIfAlone
        if let networkKeyFile {
            settings.networkKey = try NetworkKey.load(path: networkKeyFile)
        } else {
            Console.error("peerstore-server: WARNING: no -networkKeyFile: this node runs an open demo ring that anyone can join")
        }
        if let allowUsers { settings.allowedUsers = try AllowListFile.load(allowUsers) }
        settings.handshakeTimeout = .milliseconds(Int64(handshakeTimeout * 1000))
        settings.peerDeadlines.request.base = .milliseconds(Int64(max(0.1, peerTimeout) * 1000))
        settings.ring.stabilizeInterval = .milliseconds(Int64(stabilizeInterval * 1000))
        settings.ring.fixFingerInterval = .milliseconds(Int64(stabilizeInterval * 500))
        settings.ring.successorListLength = max(1, successors, replicas)
        settings.replicas = max(1, replicas)
        settings.antiEntropyInterval = .milliseconds(Int64(max(0.1, antiEntropyInterval) * 1000))
        guard (0...1).contains(compactBelow) else {
            throw NodeError(.badSetting, "-compactBelow is a fraction from 0 to 1 (0.5 rewrites a segment once less than half of it is live; 0 never), not \(compactBelow)")
        }
        guard compactInterval > 0 else {
            throw NodeError(.badSetting, "-compactInterval is seconds between compactions, more than 0 (default 30), not \(compactInterval)")
        }
        guard gracePeriod >= 1 else {
            throw NodeError(.badSetting, "-gracePeriod must be at least 1 second (default 604800, 7 days): a deleted block's tombstone lasts twice the grace, and anti-entropy must see it")
        }
        guard (1...4096).contains(segmentMiB) else {
            throw NodeError(.badSetting, "-segmentMiB is a size from 1 to 4096 MiB (default 256), not \(segmentMiB)")
        }
        settings.maxSegmentSize = segmentMiB << 20
        settings.compactBelow = compactBelow
        settings.compactionInterval = .milliseconds(Int64(max(0.05, compactInterval) * 1000))  // at most 20 a second
        settings.leases.grace = gracePeriod
        settings.leases.honourExpiry = expireLeases
        settings.leases.backupBound = leaseBackupBound
        settings.scrubInterval = try scrubIntervalSetting()
        settings.scrubBytesPerSecond = try scrubBytesPerSecond(offline: false)
        return settings
    }
}
