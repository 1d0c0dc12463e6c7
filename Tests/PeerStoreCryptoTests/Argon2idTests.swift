import PeerStoreCrypto
import Testing

@Suite struct Argon2idTests {
    let salt = (0..<16).map { UInt8($0) }

    @Test func deterministicForSameInputs() throws {
        let password = Array("correct horse battery staple".utf8)
        let a = try Argon2id.deriveKey(password: password, salt: salt, cost: .interactive)
        let b = try Argon2id.deriveKey(password: password, salt: salt, cost: .interactive)
        #expect(a.count == 32)
        #expect(a == b)
        #expect(a != [UInt8](repeating: 0, count: 32))
    }

    @Test func saltPasswordAndLengthMatter() throws {
        let password = Array("hunter2".utf8)
        let base = try Argon2id.deriveKey(password: password, salt: salt, cost: .interactive)
        var otherSalt = salt
        otherSalt[15] ^= 1
        #expect(try Argon2id.deriveKey(password: password, salt: otherSalt, cost: .interactive) != base)
        #expect(try Argon2id.deriveKey(password: Array("hunter3".utf8), salt: salt, cost: .interactive) != base)
        #expect(try Argon2id.deriveKey(password: password, salt: salt, outputLength: 64, cost: .interactive).count == 64)
    }

    @Test func emptyPasswordWorks() throws {
        let a = try Argon2id.deriveKey(password: [], salt: salt, cost: .interactive)
        #expect(a.count == 32)
        #expect(a != (try Argon2id.deriveKey(password: [0], salt: salt, cost: .interactive)))
    }

    @Test func badSaltLengthThrows() {
        #expect(throws: CryptoError.self) { try Argon2id.deriveKey(password: [1], salt: [1, 2, 3], cost: .interactive) }
    }
}
