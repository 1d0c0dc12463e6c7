/// Errors of the backup client: a stable code and a one-line message that tells the user what to do.
public struct BackupError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case badFormat
        case corruptBlock
        case missingBlock
        case identity
        case config
        case localPath
        case notInSnapshot
        case destination
        case noSnapshot
        case io
        case unreachable
        case usage
        /// Another backup of the same device holds its lock or moved its head first.
        case concurrentBackup
        /// The ring served a head that is not the one asked for, or older than one this client saw.
        case staleHead
        /// A user id (or a contact name) that names nobody: mistyped, bad checksum, unknown name.
        case badUserID
        /// A share sealed to another user.
        case notForYou
        /// A share token or inbox entry that is malformed, altered or badly signed.
        case badShare
        /// The recipient's inbox refused the share: it is at one of its caps.
        case inboxFull
        /// The user's device list on the ring is unreadable, too large, or kept changing under this update.
        case deviceRegistry
        /// The passphrase does not open an exported identity (or the file was altered).
        case wrongPassphrase
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether this error is about stored content that is missing or damaged (what a restore lists and goes on past),
    /// not about the machine or the ring.
    public var isLostContent: Bool { code == .corruptBlock || code == .missingBlock || code == .badFormat }

    public var description: String { message }

    static func badFormat(_ what: String, _ why: String) -> BackupError {
        BackupError(.badFormat, "cannot read \(what): \(why)")
    }
}
