import Testing

@testable import PeerStoreBackup

struct SnapshotPathTests {
    @Test func absoluteRelativeAndCurrentDirectoryForms() {
        let root = "/home/u/docs"
        #expect(SnapshotPath.candidates(for: "/home/u/docs/a/b.txt", rootPath: root, currentDirectory: "/") == [["a", "b.txt"]])
        #expect(SnapshotPath.candidates(for: "a/b.txt", rootPath: root, currentDirectory: "/tmp") == [["a", "b.txt"]])
        // From inside the backed-up folder, a relative path works both ways.
        #expect(SnapshotPath.candidates(for: "b.txt", rootPath: root, currentDirectory: "/home/u/docs/a") == [["b.txt"], ["a", "b.txt"]])
        #expect(SnapshotPath.candidates(for: "/elsewhere/x", rootPath: root, currentDirectory: "/").isEmpty)
        #expect(SnapshotPath.candidates(for: "/home/u/docs", rootPath: root, currentDirectory: "/").isEmpty)
        #expect(SnapshotPath.candidates(for: "./a/../a/./b.txt", rootPath: root, currentDirectory: "/") == [["a", "b.txt"]])
    }
}
