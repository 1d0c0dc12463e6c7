import ChordRing
import PeerStoreWire

extension RingCoordinator {
    /// A batched put from a client: the blocks this node owns are stored and copied to the replicas as one batch; the
    /// others go to their owners, one batch per owner, and are kept here (as owner) when their owner cannot be reached,
    /// as single puts are.
    public func putBlocks(_ puts: [BlockPut]) async -> WireMessage {
        guard await ring.isJoined else { return .error(notJoined) }
        var mine: [Int] = []
        var others: [Identifier: (owner: NodeIdentity, indices: [Int])] = [:]
        for (i, put) in puts.enumerated() {
            if await ring.owns(put.id) {
                mine.append(i)
            } else if let owner = await ring.owner(of: put.id), owner.id != node.id {
                others[owner.id, default: (owner, [])].indices.append(i)
            } else {
                mine.append(i)
            }
        }
        var stored = [Bool](repeating: false, count: puts.count)
        let replicator = self.replicator
        let forwarded = await withTaskGroup(of: ([Int], Result<[Bool], Error>).self) { group in
            for (owner, indices) in others.values {
                let batch = indices.map { puts[$0] }
                group.addTask {
                    do {
                        return (indices, .success(try await replicator.place(batch, role: .owner, to: owner)))
                    } catch {
                        return (indices, .failure(error))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (indices, result) in forwarded {
            switch result {
            case .success(let new):
                for (i, s) in zip(indices, new) { stored[i] = s }
            case .failure(let error as WireError) where error.isAnswer:
                return .error(error)  // the owner refused a block (a wrong id): the batch's answer
            case .failure:
                logger.warning("an owner did not take a batch of blocks; keeping them here", metadata: ["blocks": "\(indices.count)"])
                mine += indices
            }
        }
        guard !mine.isEmpty else { return .putBlocksResult(stored: stored) }
        let reply = await storeAsOwner(blocks: mine.map { puts[$0] })
        guard case .putBlocksResult(let new) = reply else { return reply }
        for (i, s) in zip(mine, new) { stored[i] = s }
        return .putBlocksResult(stored: stored)
    }

    /// Stores a batch here, then copies it to the replicas before answering.
    public func storeAsOwner(blocks puts: [BlockPut]) async -> WireMessage {
        let stored = await local.handle(.putBlocks(puts))
        if case .error = stored { return stored }
        _ = await replicator.replicate(blocks: puts)
        return stored
    }
}
