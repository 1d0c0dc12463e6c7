import Foundation
import PeerStoreNode
import PeerStoreTestKit
import Testing

/// The node's data folder: made 0700 when missing, refused when others can write to it.
struct DataFolderTests {
    @Test func aMissingFolderIsMadePrivateAndAnOpenOneIsRefused() throws {
        let tmp = try TemporaryDirectory(prefix: "datafolder")
        defer { tmp.remove() }
        let path = tmp.sub("a/b/node")
        try DataFolder.prepare(path)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
        #expect(mode == 0o700)
        chmod(path, 0o775)
        #expect {
            try DataFolder.prepare(path)
        } throws: { error in
            "\(error)".contains("chmod go-w") && "\(error)".contains("data folder")
        }
        chmod(path, 0o755)
        try DataFolder.prepare(path)
    }
}
