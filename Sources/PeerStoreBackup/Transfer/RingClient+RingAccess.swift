import ChordRing
import PeerStoreModel

extension RingClient: RingAccess {
    public func holdings(of ids: [Identifier]) async -> [NodeHolding] {
        var answers: [NodeHolding] = []
        for node in nodes {
            if let client = try? await connection(to: node), let present = try? await client.haveBlocks(ids), present.count == ids.count {
                answers.append(NodeHolding(address: node.address, present: present, replicas: try? await client.status().replicas))
            } else {
                answers.append(NodeHolding(address: node.address, present: nil, replicas: nil))
            }
        }
        return answers
    }
}
