/// What the client remembers between runs, so the nightly `-operation backup` needs no flags.
public struct ClientConfig: Codable, Equatable, Sendable {
    public var peerAddr: String?
    public var localPath: String?
    public var device: String
    /// The ring's network key file; the open demo key when absent.
    public var networkKeyFile: String?
    /// -exclude patterns of the last backup that gave any.
    public var excludes: [String]?
    /// The -keep-* policy of the last forget that gave one (`forget` without them, and `snapshots`, use it).
    public var retention: RetentionPolicy?

    public init(peerAddr: String? = nil, localPath: String? = nil, device: String, networkKeyFile: String? = nil) {
        self.peerAddr = peerAddr
        self.localPath = localPath
        self.device = device
        self.networkKeyFile = networkKeyFile
    }
}
