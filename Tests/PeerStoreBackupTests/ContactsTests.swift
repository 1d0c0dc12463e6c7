import Foundation
import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// Contacts: names for user ids, kept in the home; a mistyped id or an unknown name is a clear error.
@Suite struct ContactsTests {
    @Test func addSaveLoadAndResolve() throws {
        let tmp = try TemporaryDirectory(prefix: "contacts")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        try home.ensureInitialised()
        let bob = Identity.generate()
        var contacts = try Contacts.load(from: home)
        #expect(contacts.byName.isEmpty)
        try contacts.add(name: "bob", userID: bob.userID)
        try contacts.save(in: home)
        let attrs = try FileManager.default.attributesOfItem(atPath: Contacts.path(in: home))
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        let loaded = try Contacts.load(from: home)
        #expect(loaded == contacts)
        #expect(try loaded.resolve("bob") == bob.signing.publicKey)
        #expect(try loaded.resolve(" \(bob.userID)\n") == bob.signing.publicKey)
        #expect(loaded.name(of: bob.signing.publicKey) == "bob")
        #expect(loaded.name(of: Identity.generate().signing.publicKey) == nil)
    }

    @Test func aKeysNameFollowsEveryChange() throws {
        let (bob, carol) = (Identity.generate(), Identity.generate())
        var contacts = Contacts()
        try contacts.add(name: "robert", userID: bob.userID)
        try contacts.add(name: "bob", userID: bob.userID)
        #expect(contacts.name(of: bob.signing.publicKey) == "bob", "the first name in name order")
        try contacts.add(name: "bob", userID: carol.userID)
        #expect(contacts.name(of: bob.signing.publicKey) == "robert")
        #expect(contacts.name(of: carol.signing.publicKey) == "bob")
        #expect(Contacts(byName: ["c": carol.userID]).name(of: carol.signing.publicKey) == "c")
    }

    @Test func mistypedIDsAndBadNamesAreRefused() throws {
        let bob = Identity.generate().userID
        var typo = Array(bob)
        typo[20] = typo[20] == "a" ? "b" : "a"
        var contacts = Contacts()
        #expect { try contacts.add(name: "bob", userID: String(typo)) } throws: { ($0 as? BackupError)?.code == .badUserID }
        #expect { try contacts.resolve(String(typo)) } throws: {
            ($0 as? BackupError)?.code == .badUserID && "\($0)".contains("checksum")
        }
        #expect { try contacts.resolve("dave") } throws: { "\($0)".contains("neither a user id nor a contact") }
        for name in ["", "two words", String(repeating: "x", count: 65), bob] {
            #expect(throws: BackupError.self, "\(name)") { try contacts.add(name: name, userID: bob) }
        }
        #expect(contacts.byName.isEmpty)
    }

    @Test func aDamagedFileIsAClearError() throws {
        let tmp = try TemporaryDirectory(prefix: "contacts")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        try home.ensureInitialised()
        try Data("peerstore-contacts 1\nbob notanid\n".utf8).write(to: URL(fileURLWithPath: Contacts.path(in: home)))
        #expect { try Contacts.load(from: home) } throws: { "\($0)".contains("line 2") }
    }
}
