/// When a node that cannot join says why again: at once when the reason changes, then about once a minute while it
/// stays the same, so the log is loud without repeating itself on every attempt. The caller passes the time.
struct JoinReports: Sendable {
    /// How long the same reason goes unsaid.
    let repeatAfter: Duration
    private var last: JoinOutcome?
    private var lastSaid: ContinuousClock.Instant?

    init(repeatAfter: Duration = .seconds(60)) {
        self.repeatAfter = repeatAfter
    }

    /// Whether to say this attempt's outcome, at `now`; `joined` is said by the ring itself.
    mutating func shouldReport(_ outcome: JoinOutcome, at now: ContinuousClock.Instant) -> Bool {
        defer { last = outcome }
        guard outcome != .joined else { return false }
        if outcome != last || lastSaid.map({ now - $0 >= repeatAfter }) ?? true {
            lastSaid = now
            return true
        }
        return false
    }
}
