import PeerStoreNode

extension ServerCommand {
    /// `-scrubInterval` as the node's setting: nil when 0 (off).
    func scrubIntervalSetting() throws -> Duration? {
        guard scrubInterval.isFinite, scrubInterval >= 0 else {
            throw NodeError(.badSetting, "-scrubInterval is seconds between scrub passes, 0 or more (default 86400; 0: off), not \(scrubInterval)")
        }
        return scrubInterval == 0 ? nil : .milliseconds(Int64(max(0.05, scrubInterval) * 1000))
    }

    /// `-scrubRate` in bytes a second (0: no limit); its default is 16 MiB/s for a running node and no limit offline.
    func scrubBytesPerSecond(offline: Bool) throws -> Int {
        let rate = scrubRate ?? (offline ? 0 : 16)
        guard rate.isFinite, (0...1_000_000).contains(rate) else {
            throw NodeError(.badSetting, "-scrubRate is MiB a second from 0 to 1000000 (default 16; 0: no limit), not \(rate)")
        }
        return Int(rate * 1_048_576)
    }
}
