import Foundation
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Only the names a restore makes count as its debris.
struct RestoreDebrisTests {
    @Test func namesOfARestoresOwnTempPattern() throws {
        #expect(RestoreDebris.isWorkFolder(".out.peerstore-restore-0123abcd", for: "out"))
        #expect(!RestoreDebris.isWorkFolder(".out.peerstore-restore-0123abcd", for: "other"))
        #expect(!RestoreDebris.isWorkFolder(".out.peerstore-restore-0123abc", for: "out"))
        #expect(!RestoreDebris.isWorkFolder(".out.peerstore-restore-0123ABCD", for: "out"))
        #expect(!RestoreDebris.isWorkFolder("out.peerstore-restore-0123abcd", for: "out"))

        #expect(RestoreDebris.isTempFile(".a.txt.peerstore-0123456789ab"))
        #expect(RestoreDebris.isTempFile(".a.txt.peerstore-0123456789ab", of: "a.txt"))
        #expect(!RestoreDebris.isTempFile(".a.txt.peerstore-0123456789ab", of: "b.txt"))
        #expect(!RestoreDebris.isTempFile(".a.txt.peerstore-0123456789a"))
        #expect(!RestoreDebris.isTempFile(".a.txt.peerstore-0123456789abc"))
        #expect(!RestoreDebris.isTempFile("a.txt.peerstore-0123456789ab"))
        #expect(!RestoreDebris.isTempFile("..peerstore-0123456789ab"))
        #expect(!RestoreDebris.isTempFile(".out.peerstore-restore-0123abcd"))
        // Names that are not UTF-8 are names like any other.
        let latin1 = FileName(bytes: [0x2e, 0xe9, 0x74, 0xe9] + Array(".peerstore-0123456789ab".utf8))
        #expect(RestoreDebris.isTempFile(latin1, of: FileName(bytes: [0xe9, 0x74, 0xe9])))
        #expect(!RestoreDebris.isTempFile(latin1, of: "ete"))
        // What FileWriter really makes.
        let tmp = try TemporaryDirectory(prefix: "debris-names")
        defer { tmp.remove() }
        let writer = try FileWriter(finalPath: LocalPath(tmp.sub("file.bin")))
        let made = try #require(try FileManager.default.contentsOfDirectory(atPath: tmp.path).first)
        #expect(RestoreDebris.isTempFile(FileName(made), of: "file.bin"), "\(made)")
        _ = consume writer
    }

    /// The temp name is made in one place and found by the same rule wherever it is looked for.
    @Test func theTempNameIsMadeAndMatchedInOnePlace() {
        let made = TempName.path(for: LocalPath("/x/dir/notes.txt"))
        let (dir, name) = made.split
        #expect(dir == Array("/x/dir/".utf8), "\(made)")
        #expect(TempName.matches(FileName(bytes: name), of: "notes.txt"))
        #expect(RestoreDebris.isTempFile(FileName(bytes: name)))
        #expect(SyncRunner.scanExcludes.excludes(["dir", FileName(bytes: name)], isDirectory: false))
        #expect(!SyncRunner.scanExcludes.excludes(["dir", "notes.txt"], isDirectory: false))
        #expect(TempName.path(for: LocalPath("/x/notes.txt")) != TempName.path(for: LocalPath("/x/notes.txt")))
    }
}
