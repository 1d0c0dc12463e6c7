import Testing

@testable import PeerStoreBackup

/// The index of files with several links that a backup has stored: the first path wins, single links are never kept.
struct HardLinkIndexTests {
    @Test func firstPathIsKeptForFilesWithSeveralLinks() {
        var index = HardLinkIndex()
        #expect(index.firstPath(device: 1, inode: 10, links: 2) == nil)
        index.add(device: 1, inode: 10, links: 2, path: ["a", "x"])
        #expect(index.firstPath(device: 1, inode: 10, links: 2) == ["a", "x"])
        // A later name does not replace the first.
        index.add(device: 1, inode: 10, links: 2, path: ["b", "y"])
        #expect(index.firstPath(device: 1, inode: 10, links: 2) == ["a", "x"])
        #expect(index.count == 1)
    }

    @Test func deviceAndInodeBothCount() {
        var index = HardLinkIndex()
        index.add(device: 1, inode: 10, links: 3, path: ["one"])
        #expect(index.firstPath(device: 2, inode: 10, links: 3) == nil)
        #expect(index.firstPath(device: 1, inode: 11, links: 3) == nil)
        index.add(device: 2, inode: 10, links: 2, path: ["two"])
        #expect(index.firstPath(device: 1, inode: 10, links: 3) == ["one"])
        #expect(index.firstPath(device: 2, inode: 10, links: 2) == ["two"])
    }

    @Test func filesWithOneLinkAreNeitherKeptNorFound() {
        var index = HardLinkIndex()
        index.add(device: 1, inode: 10, links: 1, path: ["single"])
        #expect(index.count == 0)
        index.add(device: 1, inode: 11, links: 2, path: ["pair"])
        // The other name was removed between the two looks: the file is read like any other.
        #expect(index.firstPath(device: 1, inode: 11, links: 1) == nil)
    }
}
