/// What a command line may say about how to reach the ring and as which device, over what the home remembers.
public struct SessionOptions: Sendable {
    /// `-peerAddr`: given here, it must answer (no fallback to another node).
    public var peerAddr: String?
    /// `-networkKeyFile`.
    public var networkKeyFile: String?
    /// `-device`: this run's device name (remembered by the operations that act as this device, not by those that read).
    public var device: String?
    /// `-quiet`: no notes on stderr.
    public var quiet: Bool

    public init(peerAddr: String? = nil, networkKeyFile: String? = nil, device: String? = nil, quiet: Bool = false) {
        self.peerAddr = peerAddr
        self.networkKeyFile = networkKeyFile
        self.device = device
        self.quiet = quiet
    }
}
