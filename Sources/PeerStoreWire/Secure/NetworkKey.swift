import Foundation
import PeerStoreCrypto

/// The 32-byte secret that makes a ring a ring: without it a peer cannot even complete the handshake.
///
/// Files hold it as 64 hex digits and a newline, mode 0600. With no file, the documented open demo key is used:
/// BLAKE2b-256("peerstore open demo ring v1") — anyone can join such a ring, so nodes and clients warn about it.
public struct NetworkKey: Sendable, Equatable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws {
        guard bytes.count == 32 else { throw WireError(.handshakeFailed, "a network key is 32 bytes") }
        self.bytes = bytes
    }

    public static let openDemo = try! NetworkKey(bytes: Blake2b.hash(Array("peerstore open demo ring v1".utf8), outputLength: 32))

    public var isOpenDemo: Bool { self == .openDemo }

    public static func generate() -> NetworkKey { try! NetworkKey(bytes: SecureRandom.bytes(32)) }

    /// Reads a key file; a clear error if it is missing or malformed.
    public static func load(path: String) throws -> NetworkKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WireError(.handshakeFailed, "cannot read the network key file \(path)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Hex.decode(text), bytes.count == 32 else {
            throw WireError(.handshakeFailed, "\(path) is not a network key (64 hex digits); make one with -operation genkey")
        }
        return try NetworkKey(bytes: bytes)
    }

    /// Writes a new key file with mode 0600; refuses to overwrite one.
    public func save(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw WireError(.handshakeFailed, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let text = Array((Hex.encode(bytes) + "\n").utf8)
        let ok = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) == $0.count } && fsync(fd) == 0
        close(fd)
        guard ok else { throw WireError(.handshakeFailed, "cannot write \(path)") }
    }
}
