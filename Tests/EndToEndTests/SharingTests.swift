import ChordRing
import Foundation
import PeerStoreBackup
import PeerStoreModel
import PeerStoreTestKit
import Testing

/// Sharing through real processes: Alice shares one file with Bob by his user id; Bob restores it from his inbox and
/// from the token; Carol cannot; Bob's keys open that file's blocks and nothing else; live shares and revoke.
@Suite(.serialized)
struct SharingTests {
    @Test func aliceSharesOneFileWithBobAndNobodyElse() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-share")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src + "/docs", withIntermediateDirectories: true)
        let report = src + "/docs/Quartalsbericht-geheim.txt"
        // About 2.5 MiB of text: several chunks, so a manifest.
        try Data((0..<40_000).map { "\(TreeGenerator.marker) line \($0) of the report\n" }.joined().utf8).write(to: URL(fileURLWithPath: report))
        try Data("Alice's other secret \(TreeGenerator.marker)".utf8).write(to: URL(fileURLWithPath: src + "/private-plans.txt"))
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let (alice, bob, carol) = (ClientHarness(home: tmp.sub("alice")), ClientHarness(home: tmp.sub("bob")), ClientHarness(home: tmp.sub("carol")))
        for user in [bob, carol] { #expect(try user.run(["-operation", "init", "-peerAddr", server.address]).status == 0) }
        let bobID = try bob.run(["-operation", "whoami"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try alice.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src]).status == 0)
        let aliceID = try alice.run(["-operation", "whoami"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // Bad input first: one line, nothing shared.
        var typo = Array(bobID)
        typo[10] = typo[10] == "a" ? "b" : "a"
        let mistyped = try alice.run(["-operation", "share", "-filename", "docs/Quartalsbericht-geheim.txt", "-shareWith", String(typo)])
        #expect(mistyped.status == 1 && mistyped.stderr.contains("not a valid user id") && oneLine(mistyped.stderr), "\(mistyped.stderr)")
        let absent = try alice.run(["-operation", "share", "-filename", "docs/absent.txt", "-shareWith", bobID])
        #expect(absent.status == 1 && absent.stderr.contains("not in the latest snapshot") && oneLine(absent.stderr), "\(absent.stderr)")
        #expect(try bob.run(["-operation", "inbox"]).stdout.contains("your inbox is empty"))

        let shared = try alice.run(["-operation", "share", "-filename", "docs/Quartalsbericht-geheim.txt", "-shareWith", bobID, "-message", "hello bob"])
        #expect(shared.status == 0, "\(shared.stderr)")
        let token = try #require(shared.stdout.split(separator: "\n").last.map(String.init))
        #expect(token.hasPrefix("psshare1"))

        let inbox = try bob.run(["-operation", "inbox"])
        #expect(inbox.status == 0 && inbox.stdout.contains("1  Quartalsbericht-geheim.txt") && inbox.stdout.contains("hello bob")
                && inbox.stdout.contains("from \(aliceID)"), "\(inbox.stdout)")
        #expect(try bob.run(["-operation", "contacts", "-add", aliceID, "-name", "alice"]).status == 0)
        #expect(try bob.run(["-operation", "inbox"]).stdout.contains("from alice"))

        // From the inbox and from the token (wrapped as a mail would), byte-identical; no overwrite without -force.
        let fromInbox = try bob.run(["-operation", "getfile", "-share", "1", "-filedest", tmp.sub("from-inbox")])
        #expect(fromInbox.status == 0, "\(fromInbox.stderr)")
        #expect(TreeComparison.differences(file: report, tmp.sub("from-inbox")).isEmpty)
        let wrapped = stride(from: 0, to: token.count, by: 70).map { String(Array(token)[$0..<min($0 + 70, token.count)]) }.joined(separator: "\n ")
        let fromToken = try bob.run(["-operation", "getfile", "-share", wrapped, "-filedest", tmp.sub("from-token")])
        #expect(fromToken.status == 0, "\(fromToken.stderr)")
        #expect(FileManager.default.contents(atPath: tmp.sub("from-token")) == FileManager.default.contents(atPath: report))
        let again = try bob.run(["-operation", "getfile", "-share", token, "-filedest", tmp.sub("from-token")])
        #expect(again.status == 1 && again.stderr.contains("-force"))

        // Carol, with the same token: refused, nothing written. A token with one character changed: caught.
        let byCarol = try carol.run(["-operation", "getfile", "-share", token, "-filedest", tmp.sub("carol.out")])
        #expect(byCarol.status == 1 && byCarol.stderr.contains("not addressed to you") && oneLine(byCarol.stderr), "\(byCarol.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("carol.out")))
        var damaged = Array(token)
        damaged[200] = damaged[200] == "q" ? "r" : "q"
        let byTypo = try bob.run(["-operation", "getfile", "-share", String(damaged), "-filedest", tmp.sub("typo.out")])
        #expect(byTypo.status == 1 && byTypo.stderr.contains("damaged or mistyped"), "\(byTypo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("typo.out")))

        // With the keys Bob holds, only the shared file's blocks open: no tree, no snapshot, no other file.
        server.stop()
        let bobIdentity = try ClientHome(path: bob.home).loadIdentity()
        let grant = try SealedShare.open(try ShareToken.decode(token), as: bobIdentity)
        let blocks = try blocksIn(dataPath: server.dataPath)
        guard case .manifest(let manifestID, _) = grant.content else { Issue.record("expected a manifest"); return }
        let keys = try KeyProbe.keys(of: grant, manifest: blocks.first { $0.id == manifestID }?.bytes)
        #expect(keys.count >= 3)
        let opened = KeyProbe.openable(blocks, with: keys)
        #expect(opened.count == keys.count && opened.contains(manifestID), "\(opened.count) of \(blocks.count) blocks")
        #expect(blocks.count >= opened.count + 3)
        // The data path holds no plaintext and no names.
        #expect(!TreeComparison.anyFileContains(server.dataPath, TreeGenerator.marker))
        for name in ["Quartalsbericht", "private-plans", "hello bob"] { #expect(!TreeComparison.anyFileContains(server.dataPath, name), "\(name)") }
    }

    @Test func followRenewsUntilRevoked() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-follow")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        let file = src + "/notes.txt"
        try Data("version one\n".utf8).write(to: URL(fileURLWithPath: file))
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let (alice, bob) = (ClientHarness(home: tmp.sub("alice")), ClientHarness(home: tmp.sub("bob")))
        #expect(try bob.run(["-operation", "init", "-peerAddr", server.address]).status == 0)
        let bobID = try bob.run(["-operation", "whoami"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try alice.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src]).status == 0)
        #expect(try alice.run(["-operation", "contacts", "-add", bobID, "-name", "bob"]).status == 0)
        let contacts = try JSONSerialization.jsonObject(with: Data(try alice.run(["-operation", "contacts", "-json"]).stdout.utf8))
        #expect((contacts as? [String: String]) == ["bob": bobID])
        // The original's flag: a file holding the user id.
        try Data((bobID + "\n").utf8).write(to: URL(fileURLWithPath: tmp.sub("bob.id")))
        let shared = try alice.run(["-operation", "share", "-filename", "notes.txt", "-shareWithKeyFile", tmp.sub("bob.id"), "-follow"])
        #expect(shared.status == 0 && shared.stdout.contains("with bob") && shared.stdout.contains("until `-operation revoke"), "\(shared.stderr)")
        let token1 = try #require(shared.stdout.split(separator: "\n").last.map(String.init))

        try Data("version two\n".utf8).write(to: URL(fileURLWithPath: file))
        let second = try alice.run(["-operation", "backup"])
        #expect(second.status == 0 && second.stdout.contains("shared the new version of 1 followed file"), "\(second.stdout)\(second.stderr)")
        let listed = try bob.run(["-operation", "inbox"])
        #expect(listed.stdout.contains("notes.txt") && listed.stdout.contains("(version 2)")
                && listed.stdout.split(separator: "\n").filter { $0.hasPrefix("1  ") }.count == 1, "\(listed.stdout)")
        #expect(try bob.run(["-operation", "getfile", "-share", "1", "-filedest", tmp.sub("v2")]).status == 0)
        #expect(FileManager.default.contents(atPath: tmp.sub("v2")) == Data("version two\n".utf8))
        let json = try JSONSerialization.jsonObject(with: Data(try bob.run(["-operation", "inbox", "-json"]).stdout.utf8)) as? [[String: Any]]
        let token2 = try #require(json?.first?["token"] as? String)

        let revoked = try alice.run(["-operation", "revoke", "-filename", "notes.txt", "-shareWith", "bob"])
        #expect(revoked.status == 0 && revoked.stdout.contains("cannot be taken back"), "\(revoked.stderr)")
        #expect(try alice.run(["-operation", "revoke", "-filename", "notes.txt"]).status == 1)
        try Data("version three, not for bob\n".utf8).write(to: URL(fileURLWithPath: file))
        let third = try alice.run(["-operation", "backup"])
        #expect(third.status == 0 && !third.stdout.contains("followed file"))
        #expect(try bob.run(["-operation", "inbox"]).stdout.contains("(version 2)"))
        // Alice has version three; Bob's keys (both versions he was given) open only those two versions' blocks.
        #expect(try alice.run(["-operation", "getfile", "-filename", "notes.txt", "-filedest", tmp.sub("v3")]).status == 0)
        #expect(FileManager.default.contents(atPath: tmp.sub("v3")) == Data("version three, not for bob\n".utf8))
        server.stop()
        let bobIdentity = try ClientHome(path: bob.home).loadIdentity()
        let grants = try [token1, token2].map { try SealedShare.open(try ShareToken.decode($0), as: bobIdentity) }
        #expect(grants.map(\.version) == [1, 2])
        let keys = try grants.flatMap { try KeyProbe.keys(of: $0, manifest: nil) }
        let blocks = try blocksIn(dataPath: server.dataPath)
        #expect(KeyProbe.openable(blocks, with: keys).count == 2, "\(blocks.count) blocks")
        // The versions he had still open.
        let restarted = try ServerProcess(dataPath: tmp.sub("node"))
        defer { restarted.stop() }
        for (token, content) in [(token1, "version one\n"), (token2, "version two\n")] {
            let dest = tmp.sub("again-\(content.count)-\(token.suffix(6))")
            let r = try bob.run(["-operation", "getfile", "-share", token, "-filedest", dest, "-peerAddr", restarted.address])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(FileManager.default.contents(atPath: dest) == Data(content.utf8))
        }
    }
}

/// True when `stderr` is one line.
func oneLine(_ stderr: String) -> Bool {
    stderr.split(separator: "\n").filter { !$0.contains("warning: no -networkKeyFile") }.count == 1
}

/// Every block in a node's data path (its segment files), with its id.
func blocksIn(dataPath: String) throws -> [(id: Identifier, bytes: [UInt8])] {
    var out: [(id: Identifier, bytes: [UInt8])] = []
    let folder = dataPath + "/segments"
    for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".seg") {
        let bytes = [UInt8](FileManager.default.contents(atPath: folder + "/" + name) ?? Data())
        for entry in SegmentLayout.entries(bytes) where entry.kind == 1 {
            if let id = Identifier(bytes: entry.key) { out.append((id, Array(bytes[entry.payload..<(entry.payload + entry.length)]))) }
        }
    }
    return out
}

extension SharingTests {
    /// A real node's inbox cap reaches the sender as one line, and nothing more is shared.
    @Test func anInboxAtItsCapIsOneLineToTheSender() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-cap")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        try Data("tiny\n".utf8).write(to: URL(fileURLWithPath: src + "/tiny.txt"))
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let (alice, bob) = (ClientHarness(home: tmp.sub("alice")), ClientHarness(home: tmp.sub("bob")))
        #expect(try bob.run(["-operation", "init", "-peerAddr", server.address]).status == 0)
        let bobID = try bob.run(["-operation", "whoami"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try alice.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src]).status == 0)
        let cap = InboxLimits.standard.entriesPerPoster
        let first = try alice.run(["-operation", "share", "-filename", "tiny.txt", "-shareWith", bobID, "-json"])
        let answer = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
        #expect((answer?["token"] as? String)?.hasPrefix("psshare1") == true && answer?["version"] as? Int == 1
                && answer?["size"] as? Int == 5 && (answer?["path"] as? String)?.hasSuffix("/tiny.txt") == true, "\(first.stdout)")
        for i in 1..<cap {
            let r = try alice.run(["-operation", "share", "-filename", "tiny.txt", "-shareWith", bobID, "-quiet"])
            guard r.status == 0 else { Issue.record("share \(i): \(r.stderr)"); return }
        }
        let over = try alice.run(["-operation", "share", "-filename", "tiny.txt", "-shareWith", bobID])
        #expect(over.status == 1 && over.stderr.contains("nothing was shared with") && over.stderr.contains("\(cap) entries")
                && over.stderr.contains("-operation inbox -remove INDEX") && oneLine(over.stderr), "\(over.stderr)")
        #expect(over.stdout.isEmpty)
        let listed = try bob.run(["-operation", "inbox", "-json"])
        let json = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]
        #expect(json?.count == cap)
    }
}
