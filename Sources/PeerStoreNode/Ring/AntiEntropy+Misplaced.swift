import ChordRing
import PeerStoreModel

extension AntiEntropy {
    /// Pushes the records this node keeps but holds no longer (the ring changed shape around them: rings merged after
    /// a partition, or nodes joined in between) to their holders, where those lack them or hold them older. Without
    /// this, a record no holder has would wait for a read to find it (`Replicator.formerHolders`). The records are
    /// taken owner by owner, so a round costs one holder lookup per owner, not per record; this node keeps its copy.
    func pushMisplaced(_ records: [SignedRecord]) async {
        let me = replicator.ring.me.id
        // Clockwise from this node: the keys of one owner are consecutive, and no owner's span passes this node.
        var rest = records.sorted { me.distance(to: $0.key) < me.distance(to: $1.key) }[...]
        while let first = rest.first {
            let holders = await replicator.holders(of: first.key)
            guard let owner = holders.first else { return }  // no lookup answered: next round
            let span = first.key.distance(to: owner.id)
            let group = rest.prefix { first.key.distance(to: $0.key) <= span }
            rest = rest.dropFirst(max(1, group.count))
            guard !holders.contains(where: { $0.id == me }) else { continue }
            for holder in holders { await pushRecords(Array(group), to: holder) }
        }
    }
}
