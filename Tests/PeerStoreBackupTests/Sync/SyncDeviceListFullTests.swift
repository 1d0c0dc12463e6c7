import Foundation
import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// A sync round whose work is published but whose device list cannot be updated is a warning, not a failure.
@Suite(.timeLimit(.minutes(1)))
struct SyncDeviceListFullTests {
    @Test func aFullDeviceListIsANoteInTheRoundsSummary() async throws {
        let s = try SyncDevices(prefix: "sync-full-list", names: ["a"])
        defer { s.tmp.remove() }
        // The list already holds its most devices, so this device cannot be added.
        try await DeviceRegistry.update(ring: s.ring, identity: s.identity) { list in
            for _ in 0..<DeviceList.maxDevices { list.register(id: .random(), name: "other") }
        }
        try s.write("a", "notes.txt", "one")
        let first = try await s.sync("a")
        #expect(first.published)
        let note = try #require(first.scan.notices.first { $0.contains("device list") })
        #expect(note.hasPrefix("the sync round is done, but the device list was not updated ("))
        // The next round (nothing changed: the short path) says so again and still succeeds.
        let again = try await s.sync("a")
        #expect(again.scan.notices.contains { $0.contains("device list") })
        #expect(try await DeviceRegistry.load(ring: s.ring, identity: s.identity)[s["a"].id] == nil)
    }
}
