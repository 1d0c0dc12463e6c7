import BlockStore
import Foundation
import PeerStoreTestKit
import Testing

/// A crash at any step of a compaction loses nothing: each image a crash can leave opens as the same store.
@Suite struct CompactionCrashTests {
    enum Step: String, CaseIterable {
        case tornCopy  // killed while writing the `.compacting` file
        case copiedNotRenamed  // the copy is whole and synced, the old segment not yet replaced
        case renamed  // the new segment is in place; the process died before it told anyone
    }

    @Test(arguments: Step.allCases)
    func aCrashAtEachStepOpensTheSameStore(step: Step) async throws {
        let dir = try TemporaryDirectory(prefix: "compaction-crash")
        defer { dir.remove() }
        let path = dir.sub("data")
        let scenario = CompactionScenario()
        let store = try BlockStore(path: path, settings: CompactionScenario.settings)
        _ = try await scenario.fill(store)
        let before = try StoreContents(store)
        let segment = try #require(store.segmentUsage.first { $0.liveFraction < 0.5 }).number
        let name = "/segments/" + String(format: "%010d.seg", segment)
        let image = dir.sub("image")
        try crashImage(of: path, to: image)
        let oldSize = try fileSize(image + name)
        let result = try store.compact(segment: segment)
        #expect(result.bytesAfter > 16 && result.bytesAfter < oldSize)
        switch step {
        case .tornCopy, .copiedNotRenamed:
            let copy = image + name + ".compacting"
            try FileManager.default.copyItem(atPath: path + name, toPath: copy)
            if step == .tornCopy { try truncateFile(copy, to: result.bytesAfter / 2) }
        case .renamed:
            try FileManager.default.removeItem(atPath: image)
            try crashImage(of: path, to: image)
        }
        store.close()

        let reopened = try BlockStore(path: image, settings: CompactionScenario.settings)
        #expect(try StoreContents(reopened) == before)
        #expect(!FileManager.default.fileExists(atPath: image + name + ".compacting"))
        #expect(try fileSize(image + name) == (step == .renamed ? result.bytesAfter : oldSize))
        // Compacting again after the restart ends in the same store.
        for _ in 0..<20 { guard try reopened.compactNext(CompactionPlan()) != nil else { break } }
        #expect(try StoreContents(reopened) == before)
        reopened.close()
        let again = try BlockStore(path: image, settings: CompactionScenario.settings)
        defer { again.close() }
        #expect(try StoreContents(again) == before)
    }
}
