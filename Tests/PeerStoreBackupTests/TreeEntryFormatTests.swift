import PeerStoreCrypto
import Testing

@testable import PeerStoreBackup

/// The tree entry's encoding: tags 0-4 exactly as before hard links came, and the hard-link tag (5).
struct TreeEntryFormatTests {
    static func hardLink(_ path: [String], name: String = "second") -> TreeEntry {
        TreeEntry(name: name, kind: .file, mode: 0o640, mtime: Timestamp(seconds: 9, nanoseconds: 123_456_789), uid: 5, gid: 6,
                  size: 3000, content: .hardLink(path))
    }

    /// The encoding of `sampleTree()` (one entry of each tag 0-4), as written before tag 5 existed.
    @Test func tagsZeroToFourAreByteIdentical() throws {
        let golden =
            "000000050008612064697220c3bc02000001ed00000000000000050000000000000000000000000000000000000000030909" +
            "0909090909090909090909090909090909090909090909090909090909090005622e7478740100000180000000006553f100" +
            "075bcd15000003e8000003e800000000000003e9010101010101010101010101010101010101010101010101010101010101" +
            "010101010202020202020202020202020202020202020202020202020202020202020202000003e9000362696701000001a4" +
            "0000000000000008000000090000000000000000000000004000000002030303030303030303030303030303030303030303" +
            "030303030303030303030304040404040404040404040404040404040404040404040404040404040404040005656d707479" +
            "01000001a4000000000000000100000001000000000000000000000000000000000000046c696e6b03000001ff0000000000" +
            "00000600000007000000000000000000000000000000050400042e2e2f78"
        #expect(Hex.encode(sampleTree().encoded()) == golden)
        #expect(try Tree.decode(#require(Hex.decode(golden))) == sampleTree())
    }

    @Test func hardLinkRoundTripsAndIsEncodedAsDocumented() throws {
        let entry = Self.hardLink(["a dir ü", "first"])
        let tree = Tree(entries: [entry])
        #expect(try Tree.decode(tree.encoded()) == tree)
        // ... | tag 5 | count u16 = 2 | 00 08 "a dir ü" | 00 05 "first"
        let tail: [UInt8] = [5, 0, 2, 0, 8] + Array("a dir ü".utf8) + [0, 5] + Array("first".utf8)
        #expect(Array(tree.encoded().suffix(tail.count)) == tail)
    }

    @Test func hardLinkPathsMustBeSafeAndNonEmpty() {
        for bad: [String] in [[], [""], ["."], [".."], ["a", "..", "b"], ["a/b"], ["/etc"], ["ok", ""]] {
            let bytes = Tree(entries: [Self.hardLink(bad)]).encoded()
            #expect(throws: BackupError.self, "\(bad)") { try Tree.decode(bytes) }
        }
        // Only a file may be a hard link.
        var folder = Self.hardLink(["x"])
        folder.kind = .directory
        #expect(throws: BackupError.self) { try Tree.decode(Tree(entries: [folder]).encoded()) }
        // Truncations are refused.
        let bytes = Tree(entries: [Self.hardLink(["one", "two"])]).encoded()
        for cut in 0..<bytes.count {
            #expect(throws: BackupError.self) { try Tree.decode(Array(bytes.prefix(cut))) }
        }
    }
}
