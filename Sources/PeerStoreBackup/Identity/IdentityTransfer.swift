import Foundation
import PeerStoreCrypto

/// Moving an identity between client homes: `export` seals the home's identity under a passphrase into a new file
/// (0600, never over an existing one unless `force`); `import` puts an exported identity into a home that has none
/// (a home with another identity is refused: its backups would be out of sight), or confirms one that has the same.
public struct IdentityTransfer: Sendable {
    public let home: ClientHome

    public init(home: ClientHome) {
        self.home = home
    }

    public enum ImportOutcome: Equatable, Sendable {
        case imported
        /// The home already had this identity; nothing was written.
        case alreadyThere
    }

    /// Writes the home's identity to `path`, sealed under `passphrase`; returns the identity exported.
    @discardableResult
    public func export(to path: String, passphrase: String, force: Bool, cost: Argon2id.Cost = .moderate) throws -> Identity {
        let identity = try home.loadIdentity()
        try checkDestination(path, force: force)
        let sealed = try IdentityExport.seal(identity, passphrase: passphrase, cost: cost)
        do {
            if force { try SecretFile.write(sealed, to: path) } else { try SecretFile.createNew(sealed, at: path) }
        } catch let failure as CryptoError {
            throw BackupError(.destination, failure.message)
        }
        return identity
    }

    /// Refuses an existing `path` without `force` (called before the passphrase is asked for, and again on writing).
    public func checkDestination(_ path: String, force: Bool) throws {
        if !force, Self.exists(path) {
            throw BackupError(.destination, "\(path) exists: choose another -filedest, or give -force to replace it")
        }
    }

    /// Reads an export's header (before the passphrase is asked for: a file that is not one fails at once).
    public func readExport(_ path: String) throws -> [UInt8] {
        // Bounded (one byte over the largest export is enough to refuse it): a wrong -filename may be huge or a FIFO.
        guard let bytes = SmallFile.contents(of: LocalPath(path), max: IdentityExport.maxFileLength + 1) else {
            throw BackupError(.localPath, "cannot read \(path), or it is far larger than an identity export: give the file export-identity wrote as -filename")
        }
        _ = try IdentityExport.cost(of: bytes, path: path)
        return bytes
    }

    /// Opens the export with `passphrase` and installs it in the home (with a config if it has none). Nothing is
    /// written if the passphrase is wrong or the home has another identity.
    public func importIdentity(_ bytes: [UInt8], path: String, passphrase: String, device: String?) throws -> (Identity, ImportOutcome) {
        let identity = try IdentityExport.open(bytes, passphrase: passphrase, path: path)
        if home.exists {
            let current = try home.loadIdentity()
            guard current.encoded() == identity.encoded() else {
                throw BackupError(.identity, "\(home.path) already has another identity (user id \(current.userID)); import into a new home (-home DIR), or move \(home.identityPath) away first if you mean to replace it (its backups stay unreadable without it)")
            }
            return (identity, .alreadyThere)
        }
        try SecretFile.prepareFolderForHome(home)
        var config = try home.loadConfig()
        if let device { config.device = try DeviceName.checkNew(device, current: config.device) }
        try home.writeSecretFile(home.identityPath, identity.encoded())
        if device != nil || !FileManager.default.fileExists(atPath: home.configPath) { try home.save(config) }
        return (identity, .imported)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
