import ChordRing
import NIOCore
import PeerStoreConcurrency

extension WireClient {
    /// Stores blocks in one request (at most `BlockBatch.maxBlocks`); for each, whether it was new on the node. A node
    /// that predates batches is sent them one to a request, all at once, and so is every later batch on this connection.
    public func putBlocks(_ blocks: [(Identifier, [UInt8])]) async throws -> [Bool] {
        if !batchesRefused.withLockedValue({ $0 }) {
            let puts = blocks.map { BlockPut(id: $0.0, bytes: channelAllocator.buffer(bytes: $0.1)) }
            do {
                guard case .putBlocksResult(let stored) = try await request(.putBlocks(puts)), stored.count == blocks.count else {
                    throw WireError(.unexpectedResponse, "\(address) answered a put blocks request with the wrong message type")
                }
                return stored
            } catch let error as WireError where error.code == .unknownMessageType {
                batchesRefused.withLockedValue { $0 = true }
            }
        }
        return try await mapConcurrently(blocks, limit: blocks.count) { try await self.putBlockAlone(id: $0.0, bytes: $0.1) }
    }

    /// For each id, the block's bytes if the node holds it itself (nil otherwise: ask for it alone, which asks the other
    /// holders). One request; a node that predates batches is asked for each alone.
    public func getBlocks(_ ids: [Identifier]) async throws -> [[UInt8]?] {
        if !batchesRefused.withLockedValue({ $0 }) {
            do {
                guard case .blocks(let blocks) = try await request(.getBlocks(ids: ids)), blocks.count == ids.count else {
                    throw WireError(.unexpectedResponse, "\(address) answered a get blocks request with the wrong message type")
                }
                return blocks.map { $0.map { Array($0.readableBytesView) } }
            } catch let error as WireError where error.code == .unknownMessageType {
                batchesRefused.withLockedValue { $0 = true }
            }
        }
        return try await mapConcurrently(ids, limit: ids.count) { try await self.getBlockAlone(id: $0) }
    }
}
