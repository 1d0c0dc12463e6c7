import PeerStoreNode
import PeerStoreWire

extension ServerCommand {
    /// The address of an HTTP flag (-metricsAddr, -httpAddr): :PORT (127.0.0.1 only) or HOST:PORT; nil when unset.
    func httpAddress(_ flag: String, _ value: String?) throws -> PeerAddress? {
        guard let value, !value.isEmpty else { return nil }
        let address: PeerAddress
        do {
            address = try PeerAddress(parsing: value)
        } catch {
            throw NodeError(.badSetting, "\(flag): \(error)")
        }
        guard address.key == nil else {
            throw NodeError(.badSetting, "\(flag) \(value): an HTTP address takes no node key: give :PORT or HOST:PORT")
        }
        return address
    }
}
