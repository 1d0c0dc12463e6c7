import PeerStoreBackup
import PeerStoreCrypto
import Testing

/// Share tokens: round trip, line breaks and spaces ignored, a typo or a cut caught by the checksum.
@Suite struct ShareTokenTests {
    let sealed = SecureRandom.bytes(420)

    @Test func roundTripIgnoringWhitespaceAndCase() throws {
        let token = ShareToken.encode(sealed)
        #expect(token.hasPrefix("psshare1"))
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber })
        #expect(try ShareToken.decode(token) == sealed)
        // As a mail program might wrap and indent it, or a chat upper-case it.
        var wrapped = ""
        for (i, c) in token.enumerated() { wrapped += (i > 0 && i % 60 == 0 ? "\r\n  " : "") + String(c) }
        #expect(try ShareToken.decode("  " + wrapped + "\n") == sealed)
        #expect(try ShareToken.decode(token.uppercased()) == sealed)
        #expect(ShareToken.looksLikeToken(" PSSHARE1abc") && !ShareToken.looksLikeToken("3"))
    }

    @Test func aTypoOrACutIsCaught() throws {
        let token = Array(ShareToken.encode(sealed))
        for i in stride(from: 8, to: token.count, by: 37) {
            var typo = token
            typo[i] = typo[i] == "a" ? "b" : "a"
            #expect(throws: BackupError.self, "position \(i)") { try ShareToken.decode(String(typo)) }
        }
        #expect(throws: BackupError.self) { try ShareToken.decode(String(token.dropLast(3))) }
        #expect(throws: BackupError.self) { try ShareToken.decode(String(token.dropLast(1))) }
        #expect(throws: BackupError.self) { try ShareToken.decode(String(token) + "a") }
        #expect(throws: BackupError.self) { try ShareToken.decode("psshare1") }
        #expect { try ShareToken.decode("psshare2" + String(token.dropFirst(8))) } throws: { "\($0)".contains("update") }
        #expect { try ShareToken.decode("hello") } throws: { ($0 as? BackupError)?.code == .badShare }
    }
}
