import ChordRing
import NIOCore

/// One node's view of the ring and what it holds: `node | hasPredecessor [node] | successors | blocks u64 | bytes u64`.
/// The node itself must be a genuine entry (else the status is malformed); the others are dropped if they are not.
public struct NodeStatus: Equatable, Sendable {
    public var node: NodeIdentity
    public var predecessor: NodeIdentity?
    public var successors: [NodeIdentity]
    public var blocks: UInt64
    public var bytes: UInt64
    /// The copies this node keeps of every block (its `-replicas`); nil from builds before it was sent.
    public var replicas: Int?
    /// What the node did lately; nil from builds before it was sent. Sent only with `replicas`.
    public var activity: NodeActivity?

    public init(
        node: NodeIdentity, predecessor: NodeIdentity?, successors: [NodeIdentity], blocks: UInt64, bytes: UInt64,
        replicas: Int? = nil, activity: NodeActivity? = nil
    ) {
        self.replicas = replicas
        self.activity = activity
        self.node = node
        self.predecessor = predecessor
        self.successors = successors
        self.blocks = blocks
        self.bytes = bytes
    }

    func encode(into out: inout ByteBuffer) {
        ChordCodec.writeNode(node, &out)
        ChordCodec.writeOptionalNode(predecessor, &out)
        ChordCodec.writeNodes(successors, &out)
        out.writeInteger(blocks)
        out.writeInteger(bytes)
        if let replicas {
            out.writeInteger(UInt8(clamping: replicas))
            activity?.encode(into: &out)
        }
    }

    static func decode(from p: inout ByteBuffer) throws -> NodeStatus {
        let node = try ChordCodec.readNode(&p)
        guard node.isGenuine else { throw ChordCodec.malformed("a status whose node id is not its key's hash") }
        let predecessor = try ChordCodec.readOptionalNode(&p)
        let successors = try ChordCodec.readNodes(&p)
        let blocks = try ChordCodec.read(&p, as: UInt64.self)
        let bytes = try ChordCodec.read(&p, as: UInt64.self)
        // Optional fields follow, each added at the end: builds before them stop above, later builds may add more,
        // which this one skips.
        let replicas = p.readInteger(as: UInt8.self).map(Int.init)
        let activity = replicas == nil ? nil : try NodeActivity.decodeIfPresent(from: &p)
        p.moveReaderIndex(forwardBy: p.readableBytes)
        return NodeStatus(
            node: node, predecessor: predecessor, successors: successors, blocks: blocks, bytes: bytes, replicas: replicas,
            activity: activity)
    }
}
