import ChordRing
import PeerStoreCrypto
import PeerStoreWire

/// Walks the ring from one node along first successors and collects every node's status: the `status` table.
public enum RingSurvey {
    /// Statuses in ring order, starting at `start`; stops when the walk comes back, at `limit` nodes, or at a node that
    /// does not answer (its entry is then missing and `complete` is false).
    public static func walk(from start: PeerAddress, networkKey: NetworkKey, limit: Int = 1000) async throws
        -> (statuses: [NodeStatus], complete: Bool)
    {
        let transport = NodeTransport(identity: SigningKeyPair(), networkKey: networkKey, logger: .init(label: "peerstore.status"))
        do {
            let result = try await walk(from: start, transport: transport, limit: limit)
            await transport.closeAll()
            return result
        } catch {
            await transport.closeAll()
            throw error
        }
    }

    private static func walk(from start: PeerAddress, transport: NodeTransport, limit: Int) async throws
        -> (statuses: [NodeStatus], complete: Bool)
    {
        let entry = try await transport.client(for: start.hostPort, key: start.key)
        let first = try await entry.status()
        guard first.node.key == entry.remoteKey else {
            throw WireError(.serverKeyChanged, "\(start) names another key in its status than the one it proved")
        }
        var statuses = [first]
        var seen: Set<Identifier> = [first.node.id]
        var current = first
        while statuses.count < limit {
            guard let next = current.successors.first, !seen.contains(next.id) else { return (statuses, true) }
            guard case .statusResult(let status)? = try? await transport.request(.status, to: next.address, key: next.key),
                status.node.id == next.id
            else {
                return (statuses, false)
            }
            statuses.append(status)
            seen.insert(status.node.id)
            current = status
        }
        return (statuses, false)
    }

    /// The table people read.
    public static func table(_ statuses: [NodeStatus]) -> String {
        var lines = ["NODE  ADDRESS                ID            PREDECESSOR   SUCCESSOR     BLOCKS      BYTES"]
        for (i, s) in statuses.enumerated() {
            let cols = [String(i + 1), s.node.address, s.node.id.shortHex(12), s.predecessor?.id.shortHex(12) ?? "-",
                        s.successors.first?.id.shortHex(12) ?? "-", String(s.blocks), String(s.bytes)]
            let widths = [6, 23, 14, 14, 14, 12, 0]
            lines.append(zip(cols, widths).map { $1 == 0 ? $0 : $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
