import Foundation
import PeerStoreCrypto
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Moving an identity between homes, and where the passphrase comes from (no terminal in tests).
@Suite struct IdentityTransferTests {
    let cheap = IdentityExportTests.cheap

    @Test func exportThenImportIntoANewHome() throws {
        let tmp = try TemporaryDirectory(prefix: "id-transfer")
        defer { tmp.remove() }
        let a = ClientHome(path: tmp.sub("a")), b = ClientHome(path: tmp.sub("b"))
        let (me, _) = try a.ensureInitialised()
        let file = tmp.sub("me.export")
        try IdentityTransfer(home: a).export(to: file, passphrase: "long enough", force: false, cost: cheap)
        var info = stat()
        #expect(stat(file, &info) == 0 && info.st_mode & 0o777 == 0o600)
        // Not over an existing file without force; with force, yes.
        #expect(throws: BackupError.self) { try IdentityTransfer(home: a).export(to: file, passphrase: "long enough", force: false, cost: cheap) }
        try IdentityTransfer(home: a).export(to: file, passphrase: "long enough", force: true, cost: cheap)

        let bytes = try IdentityTransfer(home: b).readExport(file)
        // A wrong passphrase writes nothing.
        #expect(throws: BackupError.self) { try IdentityTransfer(home: b).importIdentity(bytes, path: file, passphrase: "long enougH", device: nil) }
        #expect(!FileManager.default.fileExists(atPath: b.path))
        let (imported, outcome) = try IdentityTransfer(home: b).importIdentity(bytes, path: file, passphrase: "long enough", device: "desk")
        #expect(outcome == .imported && imported.userID == me.userID)
        #expect(try b.loadIdentity().encoded() == me.encoded())
        #expect(try b.loadConfig().device == "desk")
        #expect(stat(b.identityPath, &info) == 0 && info.st_mode & 0o777 == 0o600)
        // Again: the same identity is there, nothing changes.
        #expect(try IdentityTransfer(home: b).importIdentity(bytes, path: file, passphrase: "long enough", device: nil).1 == .alreadyThere)
    }

    /// Without -force, the export never opens what is at its name: not a file, not a symlink (whose target stays).
    @Test func aHugeFileOrAFIFOGivenAsTheExportIsRefusedWithoutReadingItWhole() throws {
        let tmp = try TemporaryDirectory(prefix: "id-bounded")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("h"))
        let huge = tmp.sub("huge")
        try Data(count: 4 << 20).write(to: URL(fileURLWithPath: huge))
        #expect { try IdentityTransfer(home: home).readExport(huge) } throws: { "\($0)".contains("far larger than an identity export") }
        let fifo = tmp.sub("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // A FIFO with no writer reads as empty (opened non-blocking): refused as not an export, not a hang.
        #expect(throws: BackupError.self) { try IdentityTransfer(home: home).readExport(fifo) }
        #expect(!home.exists)
    }

    @Test func anExportNeverWritesThroughAPlantedFileOrSymlink() throws {
        let tmp = try TemporaryDirectory(prefix: "id-transfer")
        defer { tmp.remove() }
        let a = ClientHome(path: tmp.sub("a"))
        try a.ensureInitialised()
        let victim = tmp.sub("victim"), link = tmp.sub("link.export")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        for target in [victim, link] {
            #expect(throws: BackupError.self) { try IdentityTransfer(home: a).export(to: target, passphrase: "long enough", force: false, cost: cheap) }
            #expect(throws: CryptoError.self) { try SecretFile.createNew([1], at: target) }
        }
        #expect(FileManager.default.contents(atPath: victim) == Data("precious".utf8))
        // A dangling symlink is not followed either.
        let dangling = tmp.sub("dangling.export")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: tmp.sub("created-through-link"))
        #expect(throws: CryptoError.self) { try SecretFile.createNew([1], at: dangling) }
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("created-through-link")))
    }

    @Test func aHomeWithAnotherIdentityIsRefused() throws {
        let tmp = try TemporaryDirectory(prefix: "id-transfer")
        defer { tmp.remove() }
        let a = ClientHome(path: tmp.sub("a")), b = ClientHome(path: tmp.sub("b"))
        try a.ensureInitialised()
        let (theirs, _) = try b.ensureInitialised()
        let file = tmp.sub("me.export")
        try IdentityTransfer(home: a).export(to: file, passphrase: "long enough", force: false, cost: cheap)
        let bytes = try IdentityTransfer(home: b).readExport(file)
        do {
            _ = try IdentityTransfer(home: b).importIdentity(bytes, path: file, passphrase: "long enough", device: nil)
            Issue.record("an import replaced another identity")
        } catch let error as BackupError {
            #expect(error.code == .identity && error.message.contains("already has another identity"))
        }
        #expect(try b.loadIdentity().encoded() == theirs.encoded())
    }

    @Test func aFileThatIsNotAnExportFailsBeforeThePassphrase() throws {
        let tmp = try TemporaryDirectory(prefix: "id-transfer")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("a"))
        try home.ensureInitialised()
        #expect(throws: BackupError.self) { try IdentityTransfer(home: home).readExport(home.identityPath) }
        #expect(throws: BackupError.self) { try IdentityTransfer(home: home).readExport(tmp.sub("missing")) }
    }

    @Test func passphraseSources() throws {
        let tmp = try TemporaryDirectory(prefix: "passphrase")
        defer { tmp.remove() }
        let file = tmp.sub("pass")
        try "from the file\r\nsecond line\n".write(toFile: file, atomically: true, encoding: .utf8)
        let noTerminal: @Sendable (String) throws -> String? = { _ in nil }
        #expect(try PassphraseSource(file: file, environment: ["PEERSTORE_PASSPHRASE": "env"], terminal: noTerminal).obtain(confirm: true) == "from the file")
        #expect(try PassphraseSource(file: nil, environment: ["PEERSTORE_PASSPHRASE": "from env"], terminal: noTerminal).obtain(confirm: true) == "from env")
        #expect(throws: BackupError.self) { try PassphraseSource(file: nil, environment: [:], terminal: noTerminal).obtain(confirm: false) }
        #expect(throws: BackupError.self) { try PassphraseSource(file: nil, environment: ["PEERSTORE_PASSPHRASE": ""], terminal: noTerminal).obtain(confirm: false) }
        #expect(throws: BackupError.self) { try PassphraseSource(file: tmp.sub("none"), environment: [:], terminal: noTerminal).obtain(confirm: false) }
        // A terminal: asked twice for a new one, and the two must match.
        let answers = Answers(["typed one", "typed one", "typed one", "typed two"])
        let terminal: @Sendable (String) throws -> String? = { _ in answers.next() }
        #expect(try PassphraseSource(file: nil, environment: [:], terminal: terminal).obtain(confirm: true) == "typed one")
        #expect(throws: BackupError.self) { try PassphraseSource(file: nil, environment: [:], terminal: terminal).obtain(confirm: true) }
    }

    @Test func deviceNames() throws {
        for good in ["laptop", "Anna's laptop", "büro-2", String(repeating: "x", count: 64)] {
            #expect(try DeviceName.check(good) == good)
        }
        for bad in ["", " lead", "trail ", "tab\there", "new\nline", "bell\u{7}", "zero\u{200b}width", String(repeating: "x", count: 65),
                    String(repeating: "é", count: 65)] {
            #expect(throws: BackupError.self, "\(bad.debugDescription)") { try DeviceName.check(bad) }
        }
        #expect(DeviceName.shown("a\nb") == "a\\u{a}b")
    }
}

/// Canned terminal answers, in order.
final class Answers: @unchecked Sendable {
    private var items: [String]
    private let lock = NSLock()

    init(_ items: [String]) { self.items = items }

    func next() -> String? {
        lock.withLock { items.isEmpty ? nil : items.removeFirst() }
    }
}
