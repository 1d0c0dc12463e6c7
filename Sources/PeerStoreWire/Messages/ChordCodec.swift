import ChordRing
import NIOCore

/// The wire encoding of Chord messages between nodes, carried in wire v1 frames of type `chord` (a request) and
/// `chordReply` (its answer). Every count and length is bounded before anything is read.
///
/// ```
/// node      id 32 | address u8 length + UTF-8 | hasKey u8 [key 32]
/// envelope  from node | to node | hasRequestID u8 [u64] | tag u8 | body
/// bodies    1 findSuccessor: key 32            2 findSuccessorReply: sub u8 (1 found, 2 closer, 3 notReady) [nodes]
///           3 getState                         4 state: hasPredecessor u8 [node] | nodes
///           5 rectify   6 ping   7 pong        8 leaving: hasPredecessor u8 [node] | nodes
/// nodes     count u8 (<= 64) | node*
/// ```
///
/// A node entry must be genuine (`NodeIdentity.isGenuine`: a key, and the id its BLAKE2b-256): an envelope whose
/// sender or recipient is not is malformed; other entries that are not (in lists, a predecessor) are dropped as they
/// are read, so nothing decoded can name a ring place its key did not give it, nor a node without a key to pin.
public enum ChordCodec {
    public static let maxNodes = 64
    public static let maxAddressLength = 255

    public static func encode(_ e: ChordEnvelope, into out: inout ByteBuffer) {
        writeNode(e.from, &out)
        writeNode(e.to, &out)
        if let id = e.requestID {
            out.writeInteger(UInt8(1))
            out.writeInteger(id)
        } else {
            out.writeInteger(UInt8(0))
        }
        switch e.message {
        case .findSuccessor(let key):
            out.writeInteger(UInt8(1))
            out.writeBytes(key.bytes)
        case .findSuccessorReply(let reply):
            out.writeInteger(UInt8(2))
            switch reply {
            case .found(let owners):
                out.writeInteger(UInt8(1))
                writeNodes(owners, &out)
            case .closer(let nodes):
                out.writeInteger(UInt8(2))
                writeNodes(nodes, &out)
            case .notReady:
                out.writeInteger(UInt8(3))
            }
        case .getState:
            out.writeInteger(UInt8(3))
        case .state(let predecessor, let successors):
            out.writeInteger(UInt8(4))
            writeOptionalNode(predecessor, &out)
            writeNodes(successors, &out)
        case .rectify:
            out.writeInteger(UInt8(5))
        case .ping:
            out.writeInteger(UInt8(6))
        case .pong:
            out.writeInteger(UInt8(7))
        case .leaving(let predecessor, let successors):
            out.writeInteger(UInt8(8))
            writeOptionalNode(predecessor, &out)
            writeNodes(successors, &out)
        }
    }

    public static func decode(from p: inout ByteBuffer) throws -> ChordEnvelope {
        let from = try readNode(&p)
        let to = try readNode(&p)
        guard from.isGenuine, to.isGenuine else { throw malformed("a sender or recipient whose id is not its key's hash") }
        let requestID: UInt64? = try readFlag(&p) ? try read(&p, as: UInt64.self) : nil
        let message: ChordMessage
        switch try read(&p, as: UInt8.self) {
        case 1:
            message = .findSuccessor(key: try readID(&p))
        case 2:
            switch try read(&p, as: UInt8.self) {
            case 1: message = .findSuccessorReply(.found(owners: try readNodes(&p)))
            case 2: message = .findSuccessorReply(.closer(try readNodes(&p)))
            case 3: message = .findSuccessorReply(.notReady)
            case let other: throw malformed("unknown lookup answer \(other)")
            }
        case 3: message = .getState
        case 4: message = .state(predecessor: try readOptionalNode(&p), successors: try readNodes(&p))
        case 5: message = .rectify
        case 6: message = .ping
        case 7: message = .pong
        case 8: message = .leaving(predecessor: try readOptionalNode(&p), successors: try readNodes(&p))
        case let other: throw malformed("unknown chord message \(other)")
        }
        return ChordEnvelope(from: from, to: to, requestID: requestID, message: message)
    }

    static func malformed(_ why: String) -> WireError { WireError(.malformedMessage, "malformed chord message: \(why)") }

    static func read<T: FixedWidthInteger>(_ p: inout ByteBuffer, as: T.Type) throws -> T {
        guard let v = p.readInteger(as: T.self) else { throw malformed("truncated") }
        return v
    }

    static func readFlag(_ p: inout ByteBuffer) throws -> Bool {
        let v = try read(&p, as: UInt8.self)
        guard v <= 1 else { throw malformed("bad flag") }
        return v == 1
    }

    static func readID(_ p: inout ByteBuffer) throws -> Identifier {
        guard let bytes = p.readBytes(length: 32) else { throw malformed("truncated id") }
        return Identifier(bytes: bytes)!
    }

    static func writeNode(_ n: NodeIdentity, _ out: inout ByteBuffer) {
        out.writeBytes(n.id.bytes)
        let address = Array(n.address.utf8.prefix(maxAddressLength))
        out.writeInteger(UInt8(address.count))
        out.writeBytes(address)
        if let key = n.key, key.count == 32 {
            out.writeInteger(UInt8(1))
            out.writeBytes(key)
        } else {
            out.writeInteger(UInt8(0))
        }
    }

    static func readNode(_ p: inout ByteBuffer) throws -> NodeIdentity {
        let id = try readID(&p)
        let length = Int(try read(&p, as: UInt8.self))
        guard let address = p.readString(length: length) else { throw malformed("truncated address") }
        var key: [UInt8]?
        if try readFlag(&p) {
            guard let k = p.readBytes(length: 32) else { throw malformed("truncated key") }
            key = k
        }
        return NodeIdentity(id: id, address: address, key: key)
    }

    static func writeOptionalNode(_ n: NodeIdentity?, _ out: inout ByteBuffer) {
        if let n {
            out.writeInteger(UInt8(1))
            writeNode(n, &out)
        } else {
            out.writeInteger(UInt8(0))
        }
    }

    /// An optional entry; one that is not genuine reads as none.
    static func readOptionalNode(_ p: inout ByteBuffer) throws -> NodeIdentity? {
        guard try readFlag(&p) else { return nil }
        let node = try readNode(&p)
        return node.isGenuine ? node : nil
    }

    static func writeNodes(_ nodes: [NodeIdentity], _ out: inout ByteBuffer) {
        let list = nodes.prefix(maxNodes)
        out.writeInteger(UInt8(list.count))
        for n in list { writeNode(n, &out) }
    }

    /// A list of entries, without those that are not genuine.
    static func readNodes(_ p: inout ByteBuffer) throws -> [NodeIdentity] {
        let count = Int(try read(&p, as: UInt8.self))
        guard count <= maxNodes else { throw malformed("\(count) nodes in a list") }
        return try (0..<count).map { _ in try readNode(&p) }.filter(\.isGenuine)
    }
}
