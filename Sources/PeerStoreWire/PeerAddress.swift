import Foundation
import PeerStoreCrypto

/// A `host:port` address as people type it; `:3001` means the local machine.
public struct PeerAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The node's long-term key when given as `KEY@host:port` (the key as `pn...` text or 64 hex digits): it is then
    /// pinned from the start.
    public var key: [UInt8]?

    public init(host: String, port: Int, key: [UInt8]? = nil) {
        self.host = host
        self.port = port
        self.key = key
    }

    /// `host:port` without the key: what pins are filed under.
    public var hostPort: String { PeerAddress(host: host, port: port).description }

    /// Parses `:3001`, `3001`, `127.0.0.1:3001`, `localhost:3001` or `[::1]:3001`.
    public init(parsing text: String, defaultHost: String = "127.0.0.1") throws {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        var key: [UInt8]?
        if let at = trimmed.firstIndex(of: "@") {
            let keyText = String(trimmed[..<at])
            guard let k = PublicKeyText.decode(keyText, prefix: "pn") ?? Hex.decode(keyText).flatMap({ $0.count == 32 ? $0 : nil })
            else {
                throw WireError(.connectionFailed, "'\(keyText)' in '\(text)' is not a node key (pn... or 64 hex digits)")
            }
            key = k
            trimmed = String(trimmed[trimmed.index(after: at)...])
        }
        var host = defaultHost
        var portText = trimmed
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { throw Self.bad(text) }
            host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            guard !host.isEmpty else { throw Self.bad(text) }
            let rest = trimmed[trimmed.index(after: close)...]
            guard rest.hasPrefix(":") else { throw Self.bad(text) }
            portText = String(rest.dropFirst())
        } else if let colon = trimmed.lastIndex(of: ":") {
            let h = String(trimmed[..<colon])
            // An IPv6 host needs brackets: in `::1:3001` the port cannot be told from the address.
            guard !h.contains(":") else { throw Self.bad(text) }
            if !h.isEmpty { host = h }
            portText = String(trimmed[trimmed.index(after: colon)...])
        }
        guard let port = Int(portText), (0...65535).contains(port) else { throw Self.bad(text) }
        self.host = host
        self.port = port
        self.key = key
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    private static func bad(_ text: String) -> WireError {
        WireError(.connectionFailed, "'\(text)' is not an address: use :PORT or HOST:PORT, for example :3001")
    }
}
