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
        // What FileWriter really makes.
        let tmp = try TemporaryDirectory(prefix: "debris-names")
        defer { tmp.remove() }
        let writer = try FileWriter(finalPath: tmp.sub("file.bin"))
        let made = try #require(try FileManager.default.contentsOfDirectory(atPath: tmp.path).first)
        #expect(RestoreDebris.isTempFile(made, of: "file.bin"), "\(made)")
        _ = consume writer
    }
}
