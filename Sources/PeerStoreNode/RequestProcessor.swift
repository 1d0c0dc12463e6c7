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
    let logger: Logger

    public init(store: BlockStore, placement: any Placement, node: NodeIdentity, logger: Logger) {
        self.store = store
        self.placement = placement
        self.node = node
        self.logger = logger
    }

    public func handle(_ envelope: Envelope) async -> Envelope {
        Envelope(requestID: envelope.requestID, message: await handle(envelope.message))
    }

    public func handle(_ message: WireMessage) async -> WireMessage {
        do {
            switch message {
            case .ping:
                return .pong(nodeID: node.id)
            case .putBlock(let id, let bytes):
                try requireOwnership(of: id)
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
                try requireOwnership(of: record.key)
                let outcome = try await store.put(record: record, expectedSeq: expectedSeq)
                return .putRecordResult(stored: outcome == .stored)
            case .getRecord(let key):
                return .recordResult(record: store.record(for: key))
            case .pong, .putBlockResult, .block, .haveBlocksResult, .putRecordResult, .recordResult, .error:
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
