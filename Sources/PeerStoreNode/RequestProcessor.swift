import BlockStore
import ChordRing
import Logging
import NIOCore
import PeerStoreWire

/// Answers one request of wire v1 against the node's store. Knows nothing of sockets.
///
/// Placement is asked "who keeps this id?" before storing: on a ring of one the answer is always this node; the live
/// ring will forward what another node owns, here, without touching the store or the wire.
public struct RequestProcessor: Sendable {
    public let store: BlockStore
    public let placement: any Placement
    public let node: NodeIdentity
    /// With a list, only these users may store (nodes always may).
    public let allowedUsers: Set<[UInt8]>?
    /// The live ring this node takes part in, if any.
    public let ring: RingService?
    let logger: Logger

    public init(store: BlockStore, placement: any Placement, node: NodeIdentity, allowedUsers: Set<[UInt8]>? = nil,
                ring: RingService? = nil, logger: Logger) {
        self.store = store
        self.placement = placement
        self.node = node
        self.allowedUsers = allowedUsers
        self.ring = ring
        self.logger = logger
    }

    public func handle(_ envelope: Envelope, from peer: Peer = Peer(key: nil, kind: .user)) async -> Envelope {
        Envelope(requestID: envelope.requestID, message: await handle(envelope.message, from: peer))
    }

    /// Whether `peer` may store blocks and records here.
    public func mayStore(_ peer: Peer) -> Bool {
        guard let allowedUsers else { return true }
        if peer.kind == .node { return true }
        return peer.key.map { allowedUsers.contains($0) } ?? false
    }

    public func handle(_ message: WireMessage, from peer: Peer = Peer(key: nil, kind: .user)) async -> WireMessage {
        do {
            switch message {
            case .putBlock, .putRecord:
                guard mayStore(peer) else {
                    return .error(WireError(.forbidden, "this node does not let your user id store (it is not in -allowUsers)"))
                }
            default:
                break
            }
            switch message {
            case .ping:
                return .pong(nodeID: node.id)
            case .putBlock(let id, let bytes):
                if ring == nil { try requireOwnership(of: id) }
                let outcome = try await store.put(id: id, bytes: Array(bytes.readableBytesView))
                return .putBlockResult(stored: outcome == .stored)
            case .getBlock(let id):
                guard let bytes = try store.get(id: id) else {
                    return .error(WireError(.notFound, "block \(id.shortHex()) is not stored here"))
                }
                return .block(bytes: ByteBuffer(bytes: bytes))
            case .haveBlocks(let ids):
                return .haveBlocksResult(present: store.contains(ids))
            case .putRecord(let record, let expectedSeq):
                if ring == nil { try requireOwnership(of: record.key) }
                let outcome = try await store.put(record: record, expectedSeq: expectedSeq)
                return .putRecordResult(stored: outcome == .stored)
            case .getRecord(let key):
                return .recordResult(record: store.record(for: key))
            case .chord(let envelope):
                guard let ring else { return .error(WireError(.internalError, "this node does not run a ring")) }
                return .chordReply(await ring.handle(envelope, provedKey: peer.key))
            case .status:
                let stats = store.stats
                let predecessor = await ring?.predecessor
                let successors = await ring?.successors ?? [node]
                return .statusResult(NodeStatus(node: node, predecessor: predecessor, successors: successors,
                                                blocks: UInt64(stats.blocks), bytes: UInt64(stats.blockBytes)))
            case .pong, .putBlockResult, .block, .haveBlocksResult, .putRecordResult, .recordResult, .chordReply, .statusResult, .error:
                return .error(WireError(.unexpectedResponse, "a \(message.type) message is a response, not a request"))
            }
        } catch let error as BlockStoreError {
            return .error(Self.wireError(for: error))
        } catch let error as WireError {
            return .error(error)
        } catch {
            logger.error("request failed", metadata: ["error": "\(error)"])
            return .error(WireError(.internalError, "internal error: \(error)"))
        }
    }

    private func requireOwnership(of id: Identifier) throws {
        guard placement.replicas(for: id, count: 1).first == node else {
            // Forwarding to the owner arrives with the live ring.
            throw WireError(.internalError, "this node does not own \(id.shortHex()) and cannot forward yet")
        }
    }

    static func wireError(for error: BlockStoreError) -> WireError {
        let code: WireError.Code =
            switch error.code {
            case .idMismatch: .idMismatch
            case .tooLarge: .tooLarge
            case .corruptBlock: .corruptBlock
            case .badRecord: .badRecord
            case .staleRecord: .staleRecord
            case .casFailed: .casFailed
            case .io, .locked, .closed: .storageFailure
            }
        return WireError(code, error.message)
    }
}
