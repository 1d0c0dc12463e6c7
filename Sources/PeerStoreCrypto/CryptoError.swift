/// Errors of PeerStoreCrypto, each with a stable code and a message for people.
public struct CryptoError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case authenticationFailed
        case invalidKeyLength
        case invalidInput
        case keyDerivationFailed
        case badSignature
        /// A secret file could not be written (`SecretFile`).
        case io
        /// A folder for secret files can be written by group or others, who could swap files in it.
        case unsafeFolder
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static let authenticationFailed = CryptoError(
        .authenticationFailed, "decryption failed: the data was altered or the key is wrong")
}
