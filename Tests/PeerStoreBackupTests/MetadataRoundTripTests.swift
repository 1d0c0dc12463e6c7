import Foundation
import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// Metadata through a backup and restore, in-process against an in-memory ring: nanosecond mtimes on files, folders
/// and links, modes (setuid and a read-only folder included), empty files and folders, a dangling link, hard links
/// restored as hard links, a sparse file restored sparse, and owners (as root).
@Suite(.timeLimit(.minutes(2)))
struct MetadataRoundTripTests {
    @Test func everyPathComesBackWithItsMetadata() async throws {
        let c = try InMemoryClient(prefix: "mem-meta")
        defer {
            // A read-only folder cannot be emptied by its owner (unless root).
            for dir in ["src/readonly", "restored/readonly"] { chmod(c.tmp.sub(dir), 0o700) }
            c.tmp.remove()
        }
        try MetadataTree.make(c.src)

        _ = try await c.backup()
        // Hard-link entries are deterministic: nothing changed, so the next backup stores only its snapshot.
        #expect(try await c.backup().blocksSent == 1)
        let out = c.tmp.sub("restored")
        let restore = try await c.restore(to: out)
        #expect(restore.failed.isEmpty, "\(restore.failed)")

        let before = PathState.all(under: c.src)
        let after = PathState.all(under: out)
        // The source has what the test is about.
        #expect(before.count > 20)
        #expect(before["setuid-tool"]?.mode == 0o4755 && before["readonly"]?.mode == 0o555 && before["private.txt"]?.mode == 0o600)
        #expect(before["links/dangling"]?.kind == S_IFLNK && PathState(c.src + "/nowhere") == nil)
        #expect(before["empty"]?.size == 0 && before["empty-dir"]?.kind == S_IFDIR)
        #expect(before.values.allSatisfy { $0.mtime[1] >= 123_456_789 })
        // Every name of a hard-linked file counts as a file.
        let files = before.values.filter { $0.kind == S_IFREG }.count
        #expect(restore.files == files, "\(files) files: \(restore.files)")
        #expect(Set(before.keys) == Set(after.keys), "\(Set(before.keys).symmetricDifference(after.keys).sorted())")
        for (path, state) in before.sorted(by: { $0.key < $1.key }) {
            guard let copy = after[path] else { continue }
            let diffs = state.differences(copy)
            #expect(diffs.isEmpty, "\(path): \(diffs)")
        }

        // Hard links: each group of names shares one inode in the copy too, and no other path shares it.
        let groups = PathState.inodeGroups(before)
        #expect(groups.map(\.count).sorted() == [2, 3], "\(groups)")
        let restoredGroups = PathState.inodeGroups(after)
        #expect(Set(restoredGroups) == Set(groups), "\(restoredGroups)")
        for group in groups {
            #expect(Set(group.map { after[$0]!.inode }).count == 1)
            #expect(group.allSatisfy { after[$0]!.links == group.count })
        }

        // The sparse file: 8 MiB, 1 MiB of data, restored without writing the zeros.
        let sparse = try #require(after["sparse.img"])
        #expect(sparse.size == 8 << 20)
        #expect(before["sparse.img"]!.allocated < 2 << 20, "the source file system keeps holes")
        #expect(sparse.allocated < 2 << 20, "restored sparse file allocates \(sparse.allocated) bytes")

        // getfile of the second and third names of hard links gives the content, under the asked-for name.
        for name in ["hard/pair-2", "c/d/triple-3", "readonly/triple-2"] {
            let dest = c.tmp.sub("single-" + name.replacingOccurrences(of: "/", with: "-"))
            #expect(try await c.getfile(name, to: dest).failed.isEmpty, "\(name)")
            let got = PathState(dest)
            #expect(got?.content == before[name]!.content && got?.content?.isEmpty == false, "\(name)")
            #expect(got?.mode == before[name]!.mode && got?.mtime == before[name]!.mtime, "\(name)")
            #expect(got?.links == 1)
        }
        let intoFolder = c.tmp.sub("folder")
        try FileManager.default.createDirectory(atPath: intoFolder, withIntermediateDirectories: true)
        #expect(try await c.getfile("hard/pair-2", to: intoFolder).failed.isEmpty)
        #expect(PathState(intoFolder + "/pair-2")?.content == before["hard/pair-1"]!.content)
    }

    /// As root, owners 4321:4321 of a file, a folder and a link come back; as anyone else, everything restored is theirs.
    @Test func ownersComeBackAsRootElseTheUserOwnsTheCopy() async throws {
        let c = try InMemoryClient(prefix: "mem-owner")
        defer { c.tmp.remove() }
        try FileManager.default.createDirectory(atPath: c.src + "/folder", withIntermediateDirectories: true)
        try Data("owned".utf8).write(to: URL(fileURLWithPath: c.src + "/folder/file.txt"))
        try FileManager.default.createSymbolicLink(atPath: c.src + "/link", withDestinationPath: "folder/file.txt")
        let names = ["folder", "folder/file.txt", "link"]
        let root = geteuid() == 0
        if root {
            for name in names { #expect(lchown(c.src + "/" + name, 4321, 4321) == 0, "\(name)") }
        }
        _ = try await c.backup()
        let out = c.tmp.sub("restored")
        #expect(try await c.restore(to: out).failed.isEmpty)
        let file = c.tmp.sub("single.txt")
        #expect(try await c.getfile("folder/file.txt", to: file).failed.isEmpty)

        let expected: (uid: UInt32, gid: UInt32) = root ? (4321, 4321) : (geteuid(), getegid())
        for path in names.map({ out + "/" + $0 }) + [file] {
            let state = try #require(PathState(path))
            #expect(state.uid == expected.uid && state.gid == expected.gid, "\(path): \(state.uid):\(state.gid)")
        }
    }

    /// A small file whose block is damaged is listed and not created; the other small files of its folder (restored
    /// together with it, on one task) and an empty one beside them are written whole.
    @Test func aDamagedSmallFileCostsOnlyItselfInItsFolder() async throws {
        let c = try InMemoryClient(prefix: "mem-smallfail")
        defer { c.tmp.remove() }
        try FileManager.default.createDirectory(atPath: c.src + "/docs", withIntermediateDirectories: true)
        let names = (0..<6).map { "note-\($0).txt" }
        for (i, name) in names.enumerated() {
            try Data("note \(i), ".utf8 + Array(repeating: UInt8(65 + i), count: 100 * (i + 1))).write(to: URL(fileURLWithPath: c.src + "/docs/" + name))
        }
        #expect(FileManager.default.createFile(atPath: c.src + "/docs/empty", contents: nil))
        _ = try await c.backup()
        let snapshot = try await c.catalog().latest(device: c.device).snapshot
        let victim = try #require(try await c.catalog().entry(at: [FileName("docs"), FileName(names[2])], from: snapshot.rootTree))
        guard case .inline(let refs) = victim.content, let ref = refs.first else {
            Issue.record("a small file's content is one chunk named in its tree, not \(victim.content)")
            return
        }
        await c.ring.damage(ref.blockID)
        let out = c.tmp.sub("out")
        let restore = try await c.restore(to: out)
        #expect(restore.failed.count == 1 && restore.failed.first?.hasPrefix("docs/\(names[2]):") == true, "\(restore.failed)")
        #expect(restore.files == names.count)
        #expect(!FileManager.default.fileExists(atPath: out + "/docs/" + names[2]))
        for name in names where name != names[2] {
            #expect(FileManager.default.contents(atPath: out + "/docs/" + name) == FileManager.default.contents(atPath: c.src + "/docs/" + name), "\(name)")
        }
        #expect(FileManager.default.contents(atPath: out + "/docs/empty") == Data())
    }

    /// A hard link whose file could not be restored (its block is damaged) is listed and not created; the rest is.
    @Test func hardLinkToAFileThatFailedIsListedNotCreated() async throws {
        let c = try InMemoryClient(prefix: "mem-hardfail")
        defer { c.tmp.remove() }
        try FileManager.default.createDirectory(atPath: c.src + "/later", withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 11)
        try Data(rng.bytes(600 << 10)).write(to: URL(fileURLWithPath: c.src + "/big.bin"))
        #expect(link(c.src + "/big.bin", c.src + "/later/big-link") == 0)
        try Data("fine".utf8).write(to: URL(fileURLWithPath: c.src + "/small.txt"))
        _ = try await c.backup()
        try await c.damageLargestBlock(atLeast: 200_000)
        let out = c.tmp.sub("out")
        let restore = try await c.restore(to: out)
        #expect(restore.failed.count == 2, "\(restore.failed)")
        #expect(restore.failed.contains { $0.hasPrefix("big.bin") }, "\(restore.failed)")
        #expect(restore.failed.contains { $0.contains("later/big-link: hard link to big.bin") }, "\(restore.failed)")
        #expect(!FileManager.default.fileExists(atPath: out + "/big.bin"))
        #expect(!FileManager.default.fileExists(atPath: out + "/later/big-link"))
        #expect(FileManager.default.contents(atPath: out + "/small.txt") == Data("fine".utf8))
    }
}
