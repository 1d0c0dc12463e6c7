import ChordRing
import Foundation
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// One walk over many snapshots reads each tree and manifest once: what an earlier snapshot's walk added is not
/// fetched again, so ten snapshots of a mostly unchanged folder cost about one folder's walk.
@Suite(.timeLimit(.minutes(1)))
struct ReferenceWalkTests {
    @Test func tenSnapshotsOfAMostlyUnchangedFolderReadEachSubtreeOnce() async throws {
        let f = try await PruneFixture(prefix: "walk-shared")
        defer { f.c.tmp.remove() }
        for dir in ["one", "two/deeper"] {
            try FileManager.default.createDirectory(atPath: f.c.src + "/" + dir, withIntermediateDirectories: true)
        }
        try Data("in one\n".utf8).write(to: URL(fileURLWithPath: f.c.src + "/one/file.txt"))
        try Data("in deeper\n".utf8).write(to: URL(fileURLWithPath: f.c.src + "/two/deeper/file.txt"))
        var random = SeededRandom(seed: 3)
        try Data(random.bytes(3 << 20)).write(to: URL(fileURLWithPath: f.c.src + "/one/big.bin"))
        var ids: [Identifier] = []
        for n in 0..<10 { ids.append(try await f.backup(["top.txt": "version \(n)\n"])) }

        let before = await f.ring.gets
        var walk = ReferenceWalk(catalog: f.c.catalog())
        for id in ids { try await walk.walkSnapshot(id) }
        // 10 snapshots and 10 root trees (top.txt changes), the three subtrees and big.bin's manifest once.
        #expect(await f.ring.gets - before == 10 + 10 + 3 + 1)
        var union = Set<Identifier>()
        for id in ids { union.formUnion(try await f.blocks(of: id)) }
        #expect(walk.ids == union)

        // A walk that excludes what the first found reads nothing and adds nothing.
        let again = await f.ring.gets
        var second = ReferenceWalk(catalog: f.c.catalog(), excluding: walk)
        for id in ids { try await second.walkSnapshot(id) }
        #expect(await f.ring.gets == again && second.count == 0 && second.chunkBytes == 0)
    }
}
