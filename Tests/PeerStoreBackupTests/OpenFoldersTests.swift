import ChordRing
import Foundation
import Testing

@testable import PeerStoreBackup

/// The bookkeeping that lets a backup's walk go on while a folder's files are still read: a folder is done only when
/// the walk has left it and every awaited entry came in, with its entries in listing order.
struct OpenFoldersTests {
    func entry(_ name: FileName) -> TreeEntry {
        TreeEntry(name: name, kind: .directory, mode: 0o755, mtime: Timestamp(seconds: 0, nanoseconds: 0), size: 0, content: .subtree(.zero))
    }

    @Test func aFolderWithNothingAwaitedIsDoneWhenTheWalkLeavesIt() throws {
        var folders = OpenFolders()
        let root = folders.open(entries: 3, relative: [], parent: nil, info: nil)
        folders.set(.init(folder: root, index: 2), entry("c"))
        folders.set(.init(folder: root, index: 0), entry("a"))
        let leftRoot = folders.close(root)
        let done = try #require(leftRoot)
        #expect(done.entries.map(\.name) == ["a", "c"])
        #expect(done.parent == nil)
        #expect(folders.count == 0)
    }

    @Test func aFolderWaitsForItsLastReadAndKeepsListingOrder() throws {
        var folders = OpenFolders()
        let root = folders.open(entries: 3, relative: [], parent: nil, info: nil)
        for index in 0..<3 { folders.expect(.init(folder: root, index: index)) }
        let lastFirst = folders.fill(.init(folder: root, index: 2), entry("c"))
        #expect(lastFirst == nil)
        let leftEarly = folders.close(root)
        #expect(leftEarly == nil, "two reads are still under way")
        // A failed read leaves its slot empty.
        let failedRead = folders.fill(.init(folder: root, index: 0), nil)
        #expect(failedRead == nil)
        let lastRead = folders.fill(.init(folder: root, index: 1), entry("b"))
        let done = try #require(lastRead)
        #expect(done.entries.map(\.name) == ["b", "c"])
        #expect(folders.count == 0)
    }

    @Test func aParentWaitsForItsSubfolderEvenAfterTheWalkLeftIt() throws {
        var folders = OpenFolders()
        let root = folders.open(entries: 2, relative: [], parent: nil, info: nil)
        let slot = OpenFolders.Slot(folder: root, index: 0)
        var st = stat()
        st.st_mode = S_IFDIR | 0o755
        st.st_ino = 1
        let info = FileInfo(st)
        let sub = folders.open(entries: 1, relative: ["sub"], parent: slot, info: info)
        folders.expect(.init(folder: sub, index: 0))
        let leftSub = folders.close(sub)
        #expect(leftSub == nil)
        // The walk goes on in the parent and leaves it while the subfolder's read is still under way.
        folders.set(.init(folder: root, index: 1), entry("z"))
        let leftRoot = folders.close(root)
        #expect(leftRoot == nil)
        #expect(folders.count == 2)
        let subRead = folders.fill(.init(folder: sub, index: 0), entry("f"))
        let subDone = try #require(subRead)
        #expect(subDone.parent == slot && subDone.info?.inode == 1 && subDone.relative == ["sub"])
        let subSealed = folders.fill(slot, entry("sub"))
        let rootDone = try #require(subSealed)
        #expect(rootDone.entries.map(\.name) == ["sub", "z"])
        #expect(folders.count == 0)
    }
}
