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
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func badFormat(_ what: String, _ why: String) -> BackupError {
        BackupError(.badFormat, "cannot read \(what): \(why)")
    }
}
