import Foundation
import PeerStoreCrypto

/// A device's identity in the user's device list: 16 random bytes, made once per client home and kept in its
/// `device_id` file (hex, one line, 0600), so renaming a device (`-device`) keeps it the same device.
public struct DeviceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let length = 16
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.length else { return nil }
        self.bytes = bytes
    }

    public static func random() -> DeviceID { DeviceID(bytes: SecureRandom.bytes(length))! }

    public var hex: String { Hex.encode(bytes) }
    /// The first 8 hex digits, as `devices` shows it.
    public var short: String { String(hex.prefix(8)) }
    public var description: String { hex }

    public static func < (a: DeviceID, b: DeviceID) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    public static func path(in home: ClientHome) -> String { home.path + "/device_id" }

    /// The home's device id, made (and written) on first use.
    public static func ofHome(_ home: ClientHome) throws -> DeviceID {
        let path = path(in: home)
        if let data = FileManager.default.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = Hex.decode(text), let id = DeviceID(bytes: bytes) else {
                throw BackupError(.config, "\(path) is not a device id (32 hex digits); delete it and this home gets a new one (the old entry stays in `-operation devices`)")
            }
            return id
        }
        try SecretFile.prepareFolderForHome(home)
        let id = random()
        try home.writeSecretFile(path, Array((id.hex + "\n").utf8))
        return id
    }
}

extension SecretFile {
    /// Creates the client home (0700) if it is missing, with the home's error for an unsafe one.
    static func prepareFolderForHome(_ home: ClientHome) throws {
        do {
            try prepareFolder(home.path, what: "the client home")
        } catch let failure as CryptoError {
            throw BackupError(failure.code == .unsafeFolder ? .config : .io, failure.message)
        }
    }
}

extension DeviceID: Codable {
    /// As its 32 hex digits.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let bytes = Hex.decode(text), let id = DeviceID(bytes: bytes) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a device id (32 hex digits)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
