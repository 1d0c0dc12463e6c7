import PeerStoreCrypto

/// The cipher of a secure connection's box stream after the cipher offers (`SuiteOffer`).
public enum StreamSuite: UInt8, Sendable, CaseIterable {
    /// XSalsa20-Poly1305 secretbox, as the Secret Handshake's box stream specifies; what the offers themselves use.
    case secretBox = 1
    /// AES-256-GCM (OpenSSL), offered only where the CPU has AES instructions (software AES is slow and leaks timing).
    case aes256GCM = 2
    /// ChaCha20-Poly1305 (OpenSSL), fast everywhere; the faster of the two measured here.
    case chaCha20Poly1305 = 3

    var algorithm: AEADAlgorithm? {
        switch self {
        case .secretBox: nil
        case .aes256GCM: .aes256GCM
        case .chaCha20Poly1305: .chaCha20Poly1305
        }
    }

    /// This machine's order of preference: ChaCha20-Poly1305 (the fastest measured), AES-256-GCM where the CPU has
    /// AES instructions, secretbox last.
    public static func preference(_ cpu: CPUFeatures = .current) -> [StreamSuite] {
        cpu.hasAESInstructions ? [.chaCha20Poly1305, .aes256GCM, .secretBox] : [.chaCha20Poly1305, .secretBox]
    }

    /// The suite both sides use: the client's first choice that the server offers too (both sides compute it from the
    /// same two offers). Nil when they share none.
    public static func agreed(client: [StreamSuite], server: [StreamSuite]) -> StreamSuite? {
        client.first { server.contains($0) }
    }
}

/// The first box-stream message each side sends after the handshake, in secretbox: the suites it can use, best first.
/// `"PSCS" | version u8 = 1 | count u8 (1 to 8) | suite u8 ...`; unknown suite numbers are skipped, so a later
/// build may offer more. A peer whose first message is not an offer runs a build from before the offers.
public struct SuiteOffer: Equatable, Sendable {
    public static let magic = Array("PSCS".utf8)
    public var suites: [StreamSuite]

    public init(suites: [StreamSuite]) {
        self.suites = suites
    }

    public var encoded: [UInt8] { Self.magic + [1, UInt8(suites.count)] + suites.map(\.rawValue) }

    /// Nil when `bytes` is not an offer this build understands.
    public init?(decoding bytes: [UInt8]) {
        guard bytes.count >= 6, bytes.count <= 6 + 8, Array(bytes[0..<4]) == Self.magic, bytes[4] == 1,
              Int(bytes[5]) == bytes.count - 6, bytes[5] >= 1
        else { return nil }
        suites = bytes[6...].compactMap(StreamSuite.init(rawValue:))
    }
}
