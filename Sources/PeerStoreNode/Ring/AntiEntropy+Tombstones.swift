import ChordRing
import PeerStoreModel
import PeerStoreWire

extension AntiEntropy {
    /// The ids of `ids` that `target` holds no tombstone for: anti-entropy and hand-off never copy a block the other
    /// side deleted (this side's deleted blocks are out of its index, so never offered). A node older than leases
    /// (which deletes nothing) has none; a target that does not answer gets none of the batch this round.
    func notDeleted(_ ids: [Identifier], at target: NodeIdentity) async -> [Identifier] {
        var kept: [Identifier] = []
        for start in stride(from: 0, to: ids.count, by: LeaseGrant.maxIDs) {
            let batch = Array(ids[start..<min(ids.count, start + LeaseGrant.maxIDs)])
            do {
                guard case .tombstonesResult(let deleted) = try await replicator.transport.request(
                    .tombstones(ids: batch), to: target.address, key: target.key), deleted.count == batch.count
                else { continue }  // a garbled answer: copy none of the batch this round
                kept += zip(batch, deleted).filter { !$0.1 }.map(\.0)
            } catch let error as WireError where error.code == .unknownMessageType {
                kept += batch
            } catch {
                continue  // no answer: copy none of the batch this round
            }
        }
        return kept
    }
}
