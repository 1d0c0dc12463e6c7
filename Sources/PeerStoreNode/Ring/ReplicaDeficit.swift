/// What one anti-entropy round found: block copies its replica targets lacked (`missing`, one per block and target)
/// and, of those, copies it could not send (`backlog`: left for a later round).
struct ReplicaDeficit: Sendable, Equatable {
    private(set) var missing = 0
    private(set) var sent = 0

    /// Copies still missing after the round.
    var backlog: Int { max(0, missing - sent) }

    /// A target lacked `missing` blocks, of which `sent` were copied.
    mutating func add(missing: Int, sent: Int) {
        self.missing += missing
        self.sent += min(sent, missing)
    }
}
