import Foundation
import PeerStoreCrypto
import PeerStoreWire
import Testing

private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("peerstore-netkey-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("Network keys, key texts and keyed addresses")
struct NetworkKeyTests {
    static let sampleKey = (0..<32).map { UInt8($0) }
    /// Computed independently (Python: base32 of key + blake2b-128("peerstore.userid" + key)[0..<4], lowercase, no padding).
    static let sampleText = "pnaaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyprv3bw24"

    @Test func saveAndLoadRoundTripWithMode0600() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("network.key").path
        let key = NetworkKey.generate()
        try key.save(path: path)
        #expect(try NetworkKey.load(path: path) == key)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == Hex.encode(key.bytes) + "\n")
    }

    @Test func saveRefusesToOverwrite() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("network.key").path
        let first = NetworkKey.generate()
        try first.save(path: path)
        expectWireError(.handshakeFailed) { try NetworkKey.generate().save(path: path) }
        #expect(try NetworkKey.load(path: path) == first)
    }

    @Test(arguments: ["", "not a key", String(repeating: "a", count: 62), String(repeating: "a", count: 66),
                      String(repeating: "g", count: 64), String(repeating: "ab", count: 16) + " " + String(repeating: "ab", count: 16)])
    func malformedFilesGiveAClearError(content: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.key").path
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try NetworkKey.load(path: path)
            Issue.record("'\(content)' loaded as a key")
        } catch let error as WireError {
            #expect(error.message.contains("64 hex digits") && error.message.contains(path))
        }
    }

    @Test func aMissingFileGivesAClearError() throws {
        let path = "/nonexistent-\(UUID().uuidString)/network.key"
        do {
            _ = try NetworkKey.load(path: path)
            Issue.record("loaded a missing file")
        } catch let error as WireError {
            #expect(error.message.contains("cannot read") && error.message.contains(path))
        }
    }

    @Test func keysAreThirtyTwoBytesAndTheDemoKeyIsKnown() throws {
        expectWireError(.handshakeFailed) { _ = try NetworkKey(bytes: [UInt8](repeating: 0, count: 31)) }
        expectWireError(.handshakeFailed) { _ = try NetworkKey(bytes: [UInt8](repeating: 0, count: 33)) }
        #expect(NetworkKey.openDemo.isOpenDemo)
        #expect(!NetworkKey.generate().isOpenDemo)
        #expect(NetworkKey.openDemo.bytes == Blake2b.hash(Array("peerstore open demo ring v1".utf8), outputLength: 32))
    }

    @Test func publicKeyTextMatchesAnIndependentEncoding() {
        #expect(PublicKeyText.encode(Self.sampleKey, prefix: "pn") == Self.sampleText)
        #expect(PublicKeyText.decode(Self.sampleText, prefix: "pn") == Self.sampleKey)
        #expect(PublicKeyText.decode("pn" + Self.sampleText.dropFirst(2).uppercased(), prefix: "pn") == Self.sampleKey)
    }

    @Test func publicKeyTextRoundTrips() {
        for _ in 0..<50 {
            let key = SigningKeyPair().publicKey
            for prefix in ["pn", "ps"] {
                let text = PublicKeyText.encode(key, prefix: prefix)
                #expect(text.count == 2 + 58)
                #expect(PublicKeyText.decode(text, prefix: prefix) == key)
                #expect(PublicKeyText.decode(text, prefix: prefix == "pn" ? "ps" : "pn") == nil)
            }
        }
    }

    @Test func everySingleCharacterTypoIsCaught() {
        let chars = Array(Self.sampleText)
        for i in 2..<chars.count {
            for replacement in "a7qz" where replacement != chars[i] {
                var typo = chars
                typo[i] = replacement
                #expect(PublicKeyText.decode(String(typo), prefix: "pn") == nil, "position \(i) -> \(replacement)")
            }
        }
    }

    @Test(arguments: ["", "pn", "pn1", "pnaaaa", "pn!" + String(repeating: "a", count: 57)])
    func malformedTextsAreRejected(text: String) {
        #expect(PublicKeyText.decode(text, prefix: "pn") == nil)
    }

    @Test func textsWithExtraOrMissingCharactersAreRejected() {
        #expect(PublicKeyText.decode(Self.sampleText + "a", prefix: "pn") == nil)
        #expect(PublicKeyText.decode(Self.sampleText + "aa", prefix: "pn") == nil)
        #expect(PublicKeyText.decode(String(Self.sampleText.dropLast()), prefix: "pn") == nil)
    }

    @Test func peerAddressParsesKeyedAddresses() throws {
        let a = try PeerAddress(parsing: "\(Self.sampleText)@127.0.0.1:3001")
        #expect(a.host == "127.0.0.1" && a.port == 3001 && a.key == Self.sampleKey)
        #expect(a.hostPort == "127.0.0.1:3001")
        let b = try PeerAddress(parsing: "\(Hex.encode(Self.sampleKey))@:3001")
        #expect(b.host == "127.0.0.1" && b.port == 3001 && b.key == Self.sampleKey)
        let c = try PeerAddress(parsing: "\(Self.sampleText)@[::1]:7")
        #expect(c.host == "::1" && c.port == 7 && c.key == Self.sampleKey)
        #expect(try PeerAddress(parsing: ":3001").key == nil)
    }

    @Test(arguments: [
        "@127.0.0.1:3001",
        "pnaaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyprv3bw25@:3001",  // checksum typo
        "psaaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dyprv3bw24@:3001",  // a user key, not a node key
        String(repeating: "ab", count: 31) + "@:3001",  // 31 bytes
        String(repeating: "ab", count: 33) + "@:3001",  // 33 bytes
        "xyz@:3001",
    ])
    func peerAddressRejectsABadKey(text: String) {
        expectWireError(.connectionFailed, "\(text)") { _ = try PeerAddress(parsing: text) }
    }

    @Test func aGoodKeyWithABadAddressIsStillRejected() {
        expectWireError(.connectionFailed) { _ = try PeerAddress(parsing: "\(Self.sampleText)@host:") }
    }
}
