import Foundation
import PeerStoreCrypto

/// The client's home folder (`~/.peerstore`, `-home` or `$PEERSTORE_HOME`): `identity` and `config.json`, both 0600.
/// A home that group or others may write to is refused: they could swap the config, the pins or the identity.
public struct ClientHome: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// `-home`, else `$PEERSTORE_HOME`, else `$HOME/.peerstore`, else the user's home folder from the password database.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> ClientHome {
        if let explicit, !explicit.isEmpty { return ClientHome(path: explicit) }
        if let env = environment["PEERSTORE_HOME"], !env.isEmpty { return ClientHome(path: env) }
        if let home = environment["HOME"], !home.isEmpty { return ClientHome(path: home + "/.peerstore") }
        return ClientHome(path: NSHomeDirectory() + "/.peerstore")
    }

    public var identityPath: String { path + "/identity" }
    public var configPath: String { path + "/config.json" }
    public var knownNodesPath: String { path + "/known_nodes" }
    public var cachePath: String { path + "/cache" }

    /// `cache/files-<device>`: the device as `fileName(device:)` writes it.
    public func fileCachePath(device: String) -> String {
        cachePath + "/files-" + Self.fileName(device: device)
    }

    /// `backup-<device>.lock`: held by the backup of that device that is running (see `BackupLock`).
    public func backupLockPath(device: String) -> String {
        path + "/backup-" + Self.fileName(device: device) + ".lock"
    }

    /// A device name as a file name: letters, digits, `.`, `_` and `-` as they are, other bytes as `%XX`; a name that
    /// would be long becomes `h` and a hash of the device name.
    static func fileName(device: String) -> String {
        var name = ""
        for byte in device.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                name.append(Character(Unicode.Scalar(byte)))
            default:
                name += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        if name.count > 64 { name = "h" + Hex.encode(Blake2b.hash(Array(device.utf8), outputLength: 16)) }
        return name
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: identityPath) }

    /// Refuses a home that group or others can write to (a home that does not exist yet passes).
    public func checkFolder() throws {
        do {
            try SecretFile.checkFolder(path, what: "the client home")
        } catch let failure as CryptoError {
            throw BackupError(.config, failure.message)
        }
    }

    public func loadIdentity() throws -> Identity {
        try checkFolder()
        guard let data = FileManager.default.contents(atPath: identityPath) else {
            throw BackupError(.identity, "no identity in \(path): run `peerstore-client -operation init` (or a first backup)")
        }
        return try Identity.decode([UInt8](data), path: identityPath)
    }

    public func loadConfig() throws -> ClientConfig {
        try checkFolder()
        guard let data = FileManager.default.contents(atPath: configPath) else {
            return ClientConfig(device: Self.defaultDeviceName())
        }
        do {
            return try JSONDecoder().decode(ClientConfig.self, from: data)
        } catch {
            throw BackupError(.config, "config file \(configPath) is not valid: \(error.localizedDescription); fix or delete it")
        }
    }

    public func save(_ config: ClientConfig) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeSecretFile(configPath, [UInt8](try encoder.encode(config)))
    }

    /// Whether the home was used before (it has a config or a file cache): then a missing identity was lost, not never
    /// made.
    public var wasUsed: Bool {
        FileManager.default.fileExists(atPath: configPath) || FileManager.default.fileExists(atPath: cachePath)
    }

    /// Creates the identity and config if missing; returns the identity and whether it was new. In a home that was
    /// used before (`wasUsed`), a new identity is made only when `evenInUsedHome` (an explicit `init`): a nightly
    /// backup must not quietly start over under a new identity, leaving the old backups out of sight.
    @discardableResult
    public func ensureInitialised(evenInUsedHome: Bool = false) throws -> (identity: Identity, created: Bool) {
        if exists { return (try loadIdentity(), false) }
        if wasUsed && !evenInUsedHome {
            throw BackupError(.identity, "\(path) has a config but no identity file: put your copy of it back at \(identityPath), or run `peerstore-client -operation init` to start over with a new identity (the old backups stay unreadable without the old one)")
        }
        do {
            try SecretFile.prepareFolder(path, what: "the client home")
        } catch let failure as CryptoError {
            throw BackupError(failure.code == .unsafeFolder ? .config : .identity, failure.message)
        }
        let identity = Identity.generate()
        try writeSecretFile(identityPath, identity.encoded())
        if !FileManager.default.fileExists(atPath: configPath) {
            try save(ClientConfig(device: Self.defaultDeviceName()))
        }
        return (identity, true)
    }

    /// Writes a file with mode 0600 from the start through a new randomly named temp file, fsync and rename: never
    /// half-written, never through a file or symlink someone planted (`SecretFile.write`).
    func writeSecretFile(_ target: String, _ bytes: [UInt8]) throws {
        try checkFolder()
        do {
            try SecretFile.write(bytes, to: target)
        } catch let failure as CryptoError {
            throw BackupError(.io, failure.message)
        }
    }

    public static func defaultDeviceName() -> String {
        let host = ProcessInfo.processInfo.hostName
        return host.isEmpty ? "device" : host
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
