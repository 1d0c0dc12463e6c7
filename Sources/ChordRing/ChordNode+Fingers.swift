/// Fingers: finger[i] = successor(me + 2^i), fixed one per tick from the top down. When a finger's owner turns out to be
/// the first successor, every lower finger is too: they are filled at once and the cycle restarts from the top, so a
/// full refresh costs about log2 N lookups rather than 256.
extension ChordNode {
    mutating func fixNextFinger() -> [ChordDirective] {
        guard isJoined, let s = successor, s != me, !fingerLookupInFlight else { return [] }
        let i = nextFinger
        fingerLookupInFlight = true
        return startLookup(key: me.id.adding(.powerOfTwo(i)), purpose: .finger(i), initial: nil)
    }

    mutating func setFinger(_ i: Int, _ owner: NodeIdentity) {
        guard owner != me else {
            fingers[i] = nil
            nextFinger = i == 0 ? 255 : i - 1
            return
        }
        fingers[i] = owner
        if owner == successor {
            for j in 0..<i { fingers[j] = owner }
            nextFinger = 255
        } else {
            nextFinger = i == 0 ? 255 : i - 1
        }
    }
}
