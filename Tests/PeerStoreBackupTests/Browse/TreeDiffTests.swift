import ChordRing
import PeerStoreBackup
import PeerStoreModel
import Testing

/// `diff` on listings made by hand: what counts as added, removed and changed, and that a folder whose tree id is
/// the same on both sides is never read.
@Suite struct TreeDiffTests {
    static let t0 = Timestamp(seconds: 1000, nanoseconds: 0)

    func file(_ name: String, _ text: String, mode: UInt32 = 0o644, mtime: Timestamp = t0) -> TreeEntry {
        let ref = ChunkRef(blockID: BlockID.of(Array(text.utf8)), key: [UInt8](repeating: 1, count: 32), length: text.utf8.count)
        return TreeEntry(name: FileName(name), kind: .file, mode: mode, mtime: mtime, size: UInt64(text.utf8.count), content: .inline([ref]))
    }

    func folder(_ name: String, _ tree: Identifier, mode: UInt32 = 0o755, mtime: Timestamp = t0) -> TreeEntry {
        TreeEntry(name: FileName(name), kind: .directory, mode: mode, mtime: mtime, size: 0, content: .subtree(tree))
    }

    func link(_ name: String, _ target: String) -> TreeEntry {
        TreeEntry(name: FileName(name), kind: .symlink, mode: 0o777, mtime: Self.t0, size: 0, content: .linkTarget(LocalPath(target)))
    }

    func id(_ n: UInt8) -> Identifier { BlockID.of([n]) }

    @Test func namesAddedRemovedAndChanged() {
        let old = [file("a", "1"), file("b", "2"), file("c", "3"), link("l", "x"), file("m", "4"), file("t", "5"), folder("same", id(1))]
        let new = [file("a", "1"), file("bb", "2"), file("c", "33"), link("l", "y"), file("m", "4", mode: 0o600), folder("t", id(2)),
                   folder("same", id(1), mtime: Timestamp(seconds: 5, nanoseconds: 0))]
        let items = TreeDiff.compare(old.sorted { $0.name < $1.name }, new.sorted { $0.name < $1.name })
        let shown = items.map { "\($0.change?.rawValue ?? "=") \($0.name)" }
        #expect(shown == ["- b", "+ bb", "M c", "M l", "M m", "M t"], "\(shown)")
        // A kind change compares the new folder's contents below it (all added); a file has nothing below it.
        #expect(items.last!.below! == (nil, id(2)))
        #expect(items.first!.below == nil)
    }

    @Test func whatCountsAsAChange() {
        let a = file("f", "x")
        #expect(!TreeDiff.changed(a, a))
        #expect(TreeDiff.changed(a, file("f", "y")))
        #expect(TreeDiff.changed(a, file("f", "x", mtime: Timestamp(seconds: 1, nanoseconds: 1))))
        #expect(TreeDiff.changed(a, file("f", "x", mode: 0o600)))
        var owned = a
        owned.uid = 7
        #expect(TreeDiff.changed(a, owned))
        // A folder's mtime moves with its contents: not a change of its own; its mode is.
        #expect(!TreeDiff.changed(folder("d", id(1)), folder("d", id(2), mtime: Timestamp(seconds: 9, nanoseconds: 0))))
        #expect(TreeDiff.changed(folder("d", id(1)), folder("d", id(1), mode: 0o700)))
        #expect(TreeDiff.changed(link("l", "a"), link("l", "b")))
        #expect(TreeDiff.changed(file("x", ""), link("x", "")))
    }

    @Test func aFolderThatOnlyChangedBelowHasNoLineButIsComparedBelow() {
        let items = TreeDiff.compare([folder("d", id(1))], [folder("d", id(2), mtime: Timestamp(seconds: 3, nanoseconds: 0))])
        #expect(items.count == 1 && items[0].change == nil && items[0].below! == (id(1), id(2)))
        #expect(TreeDiff.compare([folder("d", id(1))], [folder("d", id(1))]).isEmpty)
    }

    @Test func theWalkSkipsUnchangedFoldersWithoutReadingThem() async throws {
        // old: root{ keep/ (tree K: deep/ ...), gone/ (tree G: x), f }   new: root{ keep/ (K), new/ (tree N: y), f' }
        let trees: [Identifier: Tree] = [
            id(10): Tree(entries: [folder("keep", id(1)), folder("gone", id(2)), file("f", "old")]),
            id(20): Tree(entries: [folder("keep", id(1)), folder("new", id(3)), file("f", "new")]),
            id(1): Tree(entries: [file("k", "k")]),
            id(2): Tree(entries: [file("x", "x")]),
            id(3): Tree(entries: [file("y", "yy"), folder("sub", id(4))]),
            id(4): Tree(entries: []),
        ]
        let read = ReadLog()
        let diff = SnapshotDiff { treeID, what in
            await read.add(treeID)
            guard let tree = trees[treeID] else { throw BackupError(.missingBlock, "no \(what)") }
            return tree
        }
        var lines: [String] = []
        let summary = try await diff.compare(old: id(10), new: id(20)) { lines.append("\($0.change.rawValue) \(EntryText.path($0.path))") }
        #expect(lines == ["M f", "- gone", "- gone/x", "+ new", "+ new/sub", "+ new/y"], "\(lines)")
        #expect(await !read.ids.contains(id(1)), "the unchanged folder was read")
        #expect(await read.ids.count == 5)
        #expect(summary.count(.added, .file) == 1 && summary.count(.added, .directory) == 2)
        #expect(summary.count(.removed, .file) == 1 && summary.count(.removed, .directory) == 1 && summary.count(.changed, .file) == 1)
        #expect(summary.bytesAdded == 2 && summary.bytesRemoved == 1)
        // The same tree on both sides: nothing is read.
        await read.clear()
        #expect(try await diff.compare(old: id(10), new: id(10)) { _ in Issue.record("no line expected") } == SnapshotDiff.Summary())
        #expect(await read.ids.isEmpty)
    }
}

/// The trees a diff read.
private actor ReadLog {
    var ids: [Identifier] = []
    func add(_ id: Identifier) { ids.append(id) }
    func clear() { ids = [] }
}
