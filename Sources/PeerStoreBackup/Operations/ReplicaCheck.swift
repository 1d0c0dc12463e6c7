import ChordRing
import PeerStoreWire

/// `-operation check`: every block of the latest snapshot, and how many nodes of the ring hold it.
public struct ReplicaCheck: Sendable {
    public struct Report: Sendable {
        public var blocks = 0
        public var nodes = 0
        public var minReplicas = 0
        public var maxReplicas = 0
        /// Blocks no reachable node holds.
        public var missing = 0
        /// The copies the ring keeps of every block (its nodes' `-replicas`); nil when no node says (older builds).
        public var replicas: Int?
        /// Blocks with fewer copies than `replicas` (those with none among them).
        public var belowReplicas = 0
        public var unreachableNodes: [String] = []
    }

    public let catalog: SnapshotCatalog

    public init(catalog: SnapshotCatalog) {
        self.catalog = catalog
    }

    /// Every block id the snapshot needs: itself, its trees, manifests and chunks (`ReferenceWalk`: a subtree that
    /// appears twice is read once, a few trees at a time).
    public func blockIDs(snapshotID: Identifier, snapshot: Snapshot) async throws -> [Identifier] {
        var walk = ReferenceWalk(catalog: catalog)
        walk.insert(snapshotID)
        try await walk.walkTrees([snapshot.rootTree])
        return Array(walk.ids)
    }

    /// Asks every node of the ring (as `ring` learned it) which of `ids` it holds.
    public func count(_ ids: [Identifier], on ring: any RingAccess) async throws -> Report {
        var report = Report()
        report.blocks = ids.count
        var copies = [Int](repeating: 0, count: ids.count)
        for node in await ring.holdings(of: ids) {
            guard let present = node.present else {
                report.unreachableNodes.append(node.address)
                continue
            }
            for (i, p) in present.enumerated() where p { copies[i] += 1 }
            report.nodes += 1
            if let replicas = node.replicas { report.replicas = max(report.replicas ?? 0, replicas) }
        }
        report.minReplicas = copies.min() ?? 0
        report.maxReplicas = copies.max() ?? 0
        report.missing = copies.filter { $0 == 0 }.count
        if let target = report.replicas { report.belowReplicas = copies.filter { $0 < target }.count }
        return report
    }
}
