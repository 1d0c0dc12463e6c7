import ChordRing
import PeerStoreConcurrency
import PeerStoreWire

extension Replicator {
    /// Copies a batched put to the replica targets, as `replicate` does a single one; a target that predates batches
    /// is sent the blocks one to a request.
    public func replicate(blocks puts: [BlockPut]) async -> Int {
        await copyToReplicas { target in _ = try await self.place(puts, role: .replica, to: target) }
    }

    /// Hands a batched put to `target` placed with `role` and returns its answer (which of the blocks were new). A node
    /// that predates batches cannot decode one (it answers unknownMessageType or malformedMessage); it is then sent
    /// the blocks one to a request, `singlesInFlight` at once.
    public func place(_ puts: [BlockPut], role: PlacementRole, to target: NodeIdentity) async throws -> [Bool] {
        do {
            let reply = try await transport.request(.placedPut(role: role, put: .putBlocks(puts)), to: target.address, key: target.key)
            guard case .putBlocksResult(let stored) = reply, stored.count == puts.count else { throw Self.unexpected(target) }
            return stored
        } catch let error as WireError where error.code == .unknownMessageType || error.code == .malformedMessage {
            // All at once, as a client sends them: one after another, a batch would take a round trip per block, and
            // on a slow link the client waiting for this put would give up first.
            let transport = self.transport
            return try await mapConcurrently(puts, limit: Self.singlesInFlight) { put in
                let reply = try await transport.request(.placedPut(role: role, put: .putBlock(id: put.id, bytes: put.bytes)),
                                                        to: target.address, key: target.key)
                guard case .putBlockResult(let new) = reply else { throw Self.unexpected(target) }
                return new
            }
        }
    }

    /// Single puts in flight to a node that predates batches.
    static let singlesInFlight = 64

    private static func unexpected(_ target: NodeIdentity) -> WireError {
        WireError(.unexpectedResponse, "\(target.address) answered a batched put with the wrong message type")
    }
}
