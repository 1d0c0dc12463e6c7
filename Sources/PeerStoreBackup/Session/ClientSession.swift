import Foundation
import Logging
import PeerStoreConcurrency
import PeerStoreWire

/// One run of the client: its home (identity, config, known nodes, pinned keys, head memory), the command line's
/// overrides, and the way into the ring. Everything an operation needs before it does its own work; tests build one
/// with `ClientSession(home: ClientHome(path: dir))`.
public struct ClientSession: Sendable {
    public static let defaultPeer = ":3001"

    public let home: ClientHome
    public let options: SessionOptions
    public let logger: Logger
    /// The ring client's time (down marks, retry pauses).
    public let clock: any MonotonicClock
    /// Where notes for people go (stderr in the executable); never called with `-quiet` for notes that may be dropped.
    public let note: @Sendable (String) -> Void

    public init(
        home: ClientHome, options: SessionOptions = SessionOptions(), logger: Logger = Logger(label: "peerstore.client"),
        clock: any MonotonicClock = SystemClock(), note: @escaping @Sendable (String) -> Void = { Console.error("peerstore-client: " + $0) }
    ) {
        self.home = home
        self.options = options
        self.logger = logger
        self.clock = clock
        self.note = note
    }

    /// The identity; throws with what to do when there is none.
    public func identity() throws -> Identity { try home.loadIdentity() }

    /// The remembered config with this run's `-device` over it (checked: `DeviceName`). Operations that act as this
    /// device (init, backup, import-identity) save it, so the name is remembered; those that read (restore, getfile,
    /// snapshots, check) use it to name the device to read, and leave the remembered one alone.
    public func config() throws -> ClientConfig {
        var config = try home.loadConfig()
        if let device = options.device { config.device = try DeviceName.check(device) }
        return config
    }

    /// `config()` for an operation that acts as this device (init, backup, sync): a `-device` that is not the remembered
    /// name is checked as a new name (`DeviceName.checkNew`: no ':').
    public func deviceConfig() throws -> ClientConfig {
        var config = try home.loadConfig()
        if let device = options.device { config.device = try DeviceName.checkNew(device, current: config.device) }
        return config
    }

    /// The head memory that keeps a node from rolling this client's heads back.
    public var heads: HeadMemory { HeadMemory(home: home) }

    /// The snapshot catalog of `identity` on `ring`, checked against the head memory.
    public func catalog(_ ring: any RingAccess, _ identity: Identity) -> SnapshotCatalog {
        SnapshotCatalog(client: ring, identity: identity, heads: heads)
    }

    /// The ring's network key: -networkKeyFile, else the config's, else the open demo key (with a warning).
    public func networkKey(_ config: ClientConfig) throws -> NetworkKey {
        guard let path = options.networkKeyFile ?? config.networkKeyFile else {
            if !options.quiet { note("warning: no -networkKeyFile: using the open demo ring's key") }
            return .openDemo
        }
        do {
            return try NetworkKey.load(path: path)
        } catch let error as WireError {
            throw BackupError(.config, error.message)
        }
    }

    /// -peerAddr and -networkKeyFile are remembered wherever they are given and worked (or, with init, are given), so
    /// that every later command on this machine needs neither.
    public func rememberRing(in config: inout ClientConfig) {
        if let peerAddr = options.peerAddr { config.peerAddr = peerAddr }
        if let file = options.networkKeyFile { config.networkKeyFile = Self.absolute(file) }
    }

    /// `path` made absolute against the current folder, links resolved where it exists.
    public static func absolute(_ path: String) -> String {
        let abs = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        guard let r = realpath(abs, nil) else { return abs }
        defer { free(r) }
        return String(cString: r)
    }
}
