import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// An `InMemoryRing` that stops answering block reads after `answering` of them: a ring lost in the middle of a restore.
actor FailingReadsRing: ForwardingRing {
    nonisolated let inner: InMemoryRing
    private var left: Int
    struct Lost: Error {}

    init(_ inner: InMemoryRing, answering: Int) {
        self.inner = inner
        left = answering
    }

    func setAnswering(_ count: Int) { left = count }

    func getBlock(id: Identifier, excluding: Set<Identifier>) async throws -> (bytes: [UInt8], from: Identifier)? {
        guard left > 0 else { throw Lost() }
        left -= 1
        return try await inner.getBlock(id: id, excluding: excluding)
    }
}

/// The restore's walk hands files to the restorers at most `Restorer.filesAhead` ahead of them.
@Suite(.timeLimit(.minutes(2)))
struct RestoreHandOffTests {
    /// More small files than the walk may hand over ahead: when the ring is lost part way, the restorers fail while the
    /// walk waits for room, and the restore ends with the ring's error (not waiting forever), leaving no work folder.
    @Test func restorersThatFailStopAWalkThatIsWaitingForThem() async throws {
        let c = try InMemoryClient(prefix: "mem-handoff")
        defer { c.tmp.remove() }
        let perFolder = Restorer.filesAhead
        for folder in 0..<3 {
            let dir = c.src + "/f\(folder)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for i in 0..<perFolder {
                #expect(FileManager.default.createFile(atPath: dir + "/n\(i)", contents: Data("file \(folder) \(i)".utf8)))
            }
        }
        _ = try await c.backup()
        let snapshot = try await c.catalog().latest(device: c.device).snapshot
        let ring = FailingReadsRing(c.ring, answering: 1_000)
        let restorer = Restorer(client: ring, identity: c.identity, logger: .init(label: "test"), heads: HeadMemory(home: c.home))
        let out = c.tmp.sub("out")
        await #expect(throws: FailingReadsRing.Lost.self) {
            _ = try await restorer.restoreAll(snapshot, to: out, force: false)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: c.tmp.path).filter { $0.contains("peerstore-restore") }
        #expect(left.isEmpty, "\(left)")
        #expect(!FileManager.default.fileExists(atPath: out))

        // With the ring back, the same restore writes all of them.
        await ring.setAnswering(.max)
        let summary = try await restorer.restoreAll(snapshot, to: out, force: false)
        #expect(summary.files == 3 * perFolder && summary.failed.isEmpty, "\(summary.failed.prefix(3))")
    }
}
