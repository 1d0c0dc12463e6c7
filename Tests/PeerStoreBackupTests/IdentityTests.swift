import Foundation
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

struct IdentityTests {
    @Test func userIDRoundTripAndChecksum() {
        let id = Identity.generate()
        let text = id.userID
        #expect(text.hasPrefix("ps") && text.count == 2 + 58)
        #expect(UserID.decode(text) == id.signing.publicKey)
        var chars = Array(text)
        chars[10] = chars[10] == "a" ? "b" : "a"
        #expect(UserID.decode(String(chars)) == nil)
        #expect(UserID.decode("ps!!") == nil)
    }

    @Test func identityFileRoundTripAndCorruption() throws {
        let id = Identity.generate()
        let bytes = id.encoded()
        let back = try Identity.decode(bytes, path: "x")
        #expect(back.signing.publicKey == id.signing.publicKey)
        #expect(back.box.publicKey == id.box.publicKey)
        #expect(back.masterKey == id.masterKey)
        for i in [0, 5, 20, 80, bytes.count - 1] {
            var bad = bytes
            bad[i] ^= 1
            #expect(throws: BackupError.self) { try Identity.decode(bad, path: "x") }
        }
        #expect(throws: BackupError.self) { try Identity.decode(Array(bytes.dropLast()), path: "x") }
    }

    @Test func homeCreatesPrivateFilesOnceAndKeepsConfig() throws {
        let tmp = try TemporaryDirectory(prefix: "home")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("h"))
        let (first, created) = try home.ensureInitialised()
        #expect(created)
        let (second, createdAgain) = try home.ensureInitialised()
        #expect(!createdAgain)
        #expect(first.userID == second.userID)
        var config = try home.loadConfig()
        config.peerAddr = ":4000"
        config.localPath = "/data"
        try home.save(config)
        #expect(try home.loadConfig() == config)
        let mode = try FileManager.default.attributesOfItem(atPath: home.identityPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func keyRingKeysAreDistinct() {
        let k = KeyRing(masterKey: [UInt8](repeating: 7, count: 32))
        let all = [k.convergence, k.tree, k.treeNonce, k.manifestBase, k.snapshot, k.headSalt, k.headValue, k.fileCache]
        #expect(Set(all.map { $0 }).count == all.count)
    }
}
