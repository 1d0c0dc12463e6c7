import Foundation
import PeerStoreCrypto
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// The sealed identity export (format version 1): round trip, wrong passphrase, tampering, bounds, pinned bytes.
@Suite struct IdentityExportTests {
    /// Small limits, stored in the file (the defaults are moderate; only tests use these).
    static let cheap = Argon2id.Cost(opsLimit: 1, memLimit: 8192)
    static let fixed = try! Identity(
        signing: SigningKeyPair(seed: Array(repeating: 1, count: 32)), box: BoxKeyPair(secretKey: Array(repeating: 2, count: 32)),
        masterKey: Array(repeating: 3, count: 32))

    @Test func roundTripKeepsEveryKey() throws {
        let me = Identity.generate()
        let sealed = try IdentityExport.seal(me, passphrase: "correct horse", cost: Self.cheap)
        let back = try IdentityExport.open(sealed, passphrase: "correct horse", path: "f")
        #expect(back.encoded() == me.encoded() && back.userID == me.userID)
        #expect(try IdentityExport.cost(of: sealed, path: "f") == Self.cheap)
        // Fresh salt and nonce each time.
        #expect(try IdentityExport.seal(me, passphrase: "correct horse", cost: Self.cheap) != sealed)
    }

    @Test func theDefaultCostIsModerate() throws {
        let sealed = try IdentityExport.seal(Self.fixed, passphrase: "correct horse")
        #expect(try IdentityExport.cost(of: sealed, path: "f") == .moderate)
    }

    @Test func aWrongPassphraseIsOneClearError() throws {
        let sealed = try IdentityExport.seal(Self.fixed, passphrase: "correct horse", cost: Self.cheap)
        do {
            _ = try IdentityExport.open(sealed, passphrase: "correct horsf", path: "/x/id.export")
            Issue.record("a wrong passphrase opened the export")
        } catch let error as BackupError {
            #expect(error.code == .wrongPassphrase)
            #expect(error.message.hasPrefix("wrong passphrase for /x/id.export") && !error.message.contains("\n"))
            #expect(!error.message.contains("correct"))
        }
    }

    @Test func everyTamperedByteIsRefused() throws {
        let sealed = try IdentityExport.seal(Self.fixed, passphrase: "correct horse", cost: Self.cheap)
        for i in sealed.indices {
            var bad = sealed
            bad[i] ^= 0x01
            #expect(throws: BackupError.self, "byte \(i)") { try IdentityExport.open(bad, passphrase: "correct horse", path: "f") }
        }
        #expect(throws: BackupError.self) { try IdentityExport.open(Array(sealed.dropLast()), passphrase: "correct horse", path: "f") }
        #expect(throws: BackupError.self) { try IdentityExport.open(sealed + [0], passphrase: "correct horse", path: "f") }
        #expect(throws: BackupError.self) { try IdentityExport.open(Self.fixed.encoded(), passphrase: "correct horse", path: "f") }
    }

    @Test func limitsADoctoredHeaderAsksForAreRefusedBeforeAnyWork() throws {
        var sealed = try IdentityExport.seal(Self.fixed, passphrase: "correct horse", cost: Self.cheap)
        sealed[10...13] = [0xff, 0xff, 0xff, 0xff]  // memLimit 4 GiB
        #expect(throws: BackupError.self) { try IdentityExport.cost(of: sealed, path: "f") }
        sealed[6...9] = [0, 0, 0, 0xff]  // 255 passes
        #expect(throws: BackupError.self) { try IdentityExport.cost(of: sealed, path: "f") }
        var newer = try IdentityExport.seal(Self.fixed, passphrase: "correct horse", cost: Self.cheap)
        newer[4] = 2
        #expect(throws: BackupError(.identity, "f is an exported identity of format version 2; this peerstore-client is too old for it")) {
            try IdentityExport.cost(of: newer, path: "f")
        }
    }

    @Test func aShortPassphraseIsRefusedOnExport() {
        #expect(throws: BackupError.self) { try IdentityExport.seal(Self.fixed, passphrase: "short", cost: Self.cheap) }
    }

    /// The passphrase is taken as NFC: "é" typed composed or decomposed opens the same file.
    @Test func passphrasesAreNormalised() throws {
        let sealed = try IdentityExport.seal(Self.fixed, passphrase: "caf\u{e9} au lait", cost: Self.cheap)
        #expect(try IdentityExport.open(sealed, passphrase: "cafe\u{301} au lait", path: "f").userID == Self.fixed.userID)
    }

    /// Version 1 as written today, byte for byte: a later version must still open this.
    @Test func pinnedBytesOfVersion1() throws {
        let sealed = try IdentityExport.seal(
            Self.fixed, passphrase: "correct horse", cost: Self.cheap, salt: Array(repeating: 4, count: 16), nonce: Array(repeating: 5, count: 24))
        let header = Hex.encode(Array("PSIX".utf8)) + "01" + "01" + "00000001" + "00002000" + String(repeating: "04", count: 16)
            + String(repeating: "05", count: 24)
        #expect(Hex.encode(sealed).hasPrefix(header))
        #expect(sealed.count == 4 + 2 + 8 + 16 + 24 + 118 + 16)
        let pinned = Self.pinnedV1
        #expect(Hex.encode(sealed) == pinned)
        #expect(try IdentityExport.open(Hex.decode(pinned)!, passphrase: "correct horse", path: "f").encoded() == Self.fixed.encoded())
    }

    static let pinnedV1 =
        "5053495801010000000100002000040404040404040404040404040404040505050505050505050505050505050505050505050505050c6f59c0c1adbcaeac6244c26981577dc0a3e7dff1c56ff22351889e7de827c35d87d08b034248a8aad8ced995b3a62af9ccb6d36bca1aece0ca885933673cd2f23d7e4798eedf526ab34e11388c034a7601c94685259c223f04b0619e1b6f9b878d675ac140d23dd321713790215206bb2834b6bfb89361a4cbace0592bc345889e013160c4"
}
