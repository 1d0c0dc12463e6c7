import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// `snapshots` marks what the next forget drops, over the whole history (not only the rows shown), and fetches the
/// bodies of the rows shown only.
@Suite struct SnapshotListingTests {
    /// Five real backups on top of `older` made-up snapshots, one a day from 2020 on (their bodies are not on the ring).
    static func longHistory(_ c: InMemoryClient, older: Int) async throws -> [Identifier] {
        let real = try await ForgetInMemoryTests.backups(c, 0..<5)
        let catalog = c.catalog()
        let head = try #require(try await catalog.head(device: c.device))
        var index = try await catalog.index(of: head.pointer)
        let start = Int64(1_577_880_000) * 1_000_000_000
        for n in 0..<older {
            index.add(.init(id: BlockID.of(Array("made-up \(n)".utf8)), time: start + Int64(n) * 86_400 * 1_000_000_000))
        }
        #expect(try await catalog.publish(device: c.device, snapshot: head.pointer.snapshot, time: head.pointer.time, index: index,
                                          previous: head.record))
        return real
    }

    @Test(arguments: [RetentionPolicy(last: 1100), RetentionPolicy(daily: 7, monthly: 3), RetentionPolicy(weekly: 200, yearly: 2)])
    func theMarksAreWhatForgetRemoves(_ policy: RetentionPolicy) async throws {
        let c = try InMemoryClient(prefix: "listing")
        defer { c.tmp.remove() }
        let real = try await Self.longHistory(c, older: 1200)
        let utc = TimeZone(identifier: "UTC")!
        let listing = try await SnapshotListing.read(catalog: c.catalog(), device: c.device, policy: policy, limit: 5, timeZone: utc)
        #expect(listing.rows.map(\.id) == real.reversed(), "the newest five, with their bodies")
        #expect(listing.total == 1205)
        let forget = try await ForgetRunner(catalog: c.catalog(), timeZone: utc).run(device: c.device, policy: policy, dryRun: false)
        #expect(forget.written || forget.removed.isEmpty)
        let removed = Set(forget.removed.map(\.entry.id))
        #expect(listing.going == removed, "\(policy): \(listing.going.count) marked, \(removed.count) removed")
        #expect(!removed.isEmpty)
    }
}
