import PeerStoreCrypto
import Testing

@testable import PeerStoreBackup

/// The tree entry's encoding: tags 0-4 exactly as before hard links came, and the hard-link tag (5).
struct TreeEntryFormatTests {
    static func hardLink(_ path: [FileName], name: FileName = "second") -> TreeEntry {
        TreeEntry(name: name, kind: .file, mode: 0o640, mtime: Timestamp(seconds: 9, nanoseconds: 123_456_789), uid: 5, gid: 6,
                  size: 3000, content: .hardLink(path))
    }

    /// The encoding of `sampleTree()` (one entry of each tag 0-4) as version 1 wrote it (before tag 5 existed, and before
    /// names were bytes): still read, and still written for a tree whose names are all UTF-8 (the same block as
    /// before the upgrade); version 2 is the same behind its version byte.
    @Test func version1StillReadsAndVersion2IsItBehindAVersionByte() throws {
        let golden =
            "000000050008612064697220c3bc02000001ed00000000000000050000000000000000000000000000000000000000030909" +
            "0909090909090909090909090909090909090909090909090909090909090005622e7478740100000180000000006553f100" +
            "075bcd15000003e8000003e800000000000003e9010101010101010101010101010101010101010101010101010101010101" +
            "010101010202020202020202020202020202020202020202020202020202020202020202000003e9000362696701000001a4" +
            "0000000000000008000000090000000000000000000000004000000002030303030303030303030303030303030303030303" +
            "030303030303030303030304040404040404040404040404040404040404040404040404040404040404040005656d707479" +
            "01000001a4000000000000000100000001000000000000000000000000000000000000046c696e6b03000001ff0000000000" +
            "00000600000007000000000000000000000000000000050400042e2e2f78"
        #expect(try Tree.decode(#require(Hex.decode(golden))) == sampleTree())
        #expect(Hex.encode(sampleTree().encoded()) == golden)
        #expect(try Tree.decode(#require(Hex.decode("02" + golden))) == sampleTree())
    }

    /// Names, link targets and hard-link paths that are not UTF-8 round-trip byte for byte in version 2, sorted by
    /// bytes; a version 1 tree (UTF-8 only) with such a name is refused, as its decoder always did.
    @Test func namesThatAreNotUTF8RoundTripAsBytes() throws {
        let latin1 = FileName(bytes: [0x63, 0x61, 0x66, 0xe9])  // "café" in Latin-1
        let broken = FileName(bytes: [0xff, 0xfe, 0x2e, 0x74, 0x78, 0x74])
        let entries = [
            TreeEntry(name: latin1, kind: .file, mode: 0o644, mtime: Timestamp(seconds: 1, nanoseconds: 2), size: 0, content: .none),
            TreeEntry(name: broken, kind: .symlink, mode: 0o777, mtime: Timestamp(seconds: 3, nanoseconds: 4), size: 3,
                      content: .linkTarget(LocalPath(bytes: [0x2e, 0x2f, 0xe9]))),
            Self.hardLink([latin1, broken], name: FileName(bytes: [0x80])),
        ]
        let tree = Tree(entries: entries)
        #expect(tree.entries.map(\.name) == [latin1, FileName(bytes: [0x80]), broken])
        #expect(tree.encoded().first == Tree.version)
        let decoded = try Tree.decode(tree.encoded())
        #expect(decoded == tree)
        #expect(decoded.entry(named: latin1)?.name.bytes == latin1.bytes)
        // The same entries without the version byte are a version 1 tree, whose names must be UTF-8.
        #expect(throws: BackupError.self) { try Tree.decode(Array(tree.encoded().dropFirst())) }
        // A name with a slash or a NUL in it is never accepted.
        for bad in [FileName(bytes: [0x61, 0x2f, 0x62]), FileName(bytes: [0x61, 0x00])] {
            let bytes = Tree(entries: [Self.hardLink(["x"], name: bad)]).encoded()
            #expect(throws: BackupError.self) { try Tree.decode(bytes) }
        }
        // An unknown version is refused with a clear reason.
        #expect(throws: BackupError.self) { try Tree.decode([3] + Array(tree.encoded().dropFirst())) }
    }

    /// Printed names: UTF-8 as it is, other bytes as \xNN, a backslash doubled; the escaped form parses back.
    @Test func namesArePrintedEscaped() {
        #expect(FileName("Überblick.txt").description == "Überblick.txt")
        #expect(FileName(bytes: [0x63, 0x61, 0x66, 0xe9]).description == "caf\\xe9")
        #expect(FileName(bytes: [0x61, 0x5c, 0x62]).description == "a\\\\b")
        #expect(FileName("two\nlines\t").description == "two\\x0alines\\x09")
        for name in [FileName(bytes: [0x63, 0x61, 0x66, 0xe9]), FileName(bytes: [0xff, 0x5c, 0xc3, 0xbc]), FileName("a\\x41"), FileName("new\nline")] {
            #expect(EscapedBytes.parse(name.description) ?? name.bytes == name.bytes, "\(name)")
        }
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
        for bad: [FileName] in [[], [""], ["."], [".."], ["a", "..", "b"], ["a/b"], ["/etc"], ["ok", ""]] {
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
