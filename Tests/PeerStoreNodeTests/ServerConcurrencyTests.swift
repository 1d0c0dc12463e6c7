import PeerStoreModel
import PeerStoreTestKit
import ChordRing
import PeerStoreWire
import Testing

/// Many requests in flight on one `WireClient` connection to a real `peerstore-server`.
@Suite("Server with many requests in flight", .timeLimit(.minutes(3)))
struct ServerConcurrencyTests {
    static func block(_ i: Int) -> [UInt8] {
        // Distinct contents of varied sizes (0 B to ~40 KiB), so a mixed-up response shows.
        var bytes = withUnsafeBytes(of: UInt64(i).bigEndian, Array.init)
        bytes += [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: (i * 7919) % 40_000)
        return i == 0 ? [] : bytes
    }

    @Test func fiveHundredConcurrentPutsThenGetsOnOneConnection() async throws {
        let server = try RunningServer()
        defer { #expect(server.stop() == 0) }
        let client = try await server.client()
        defer { Task { await client.close() } }
        let count = 500

        let stored = try await withDeadline(120) {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<count {
                    group.addTask { try await client.putBlock(id: BlockID.of(Self.block(i)), bytes: Self.block(i)) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        }
        #expect(stored == count)

        let mismatches = try await withDeadline(120) {
            try await withThrowingTaskGroup(of: Int?.self) { group in
                for i in 0..<count {
                    group.addTask { try await client.getBlock(id: BlockID.of(Self.block(i))) == Self.block(i) ? nil : i }
                }
                return try await group.compactMap { $0 }.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        #expect(mismatches.isEmpty)

        // Mixed kinds in flight at once: have-blocks, misses, pings.
        let ids = (0..<count).map { BlockID.of(Self.block($0)) }
        let missing = (0..<50).map { BlockID.of([UInt8](repeating: 1, count: $0 + 1) + [0xEE]) }
        try await withDeadline(60) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let present = try await client.haveBlocks(ids + missing)
                    #expect(present == Array(repeating: true, count: count) + Array(repeating: false, count: 50))
                }
                for id in missing {
                    group.addTask {
                        let got = try await client.getBlock(id: id)
                        #expect(got == nil)
                    }
                }
                for _ in 0..<50 { group.addTask { _ = try await client.ping() } }
                try await group.waitForAll()
            }
        }
    }

    @Test func requestAfterTheServerStoppedFailsInsteadOfHanging() async throws {
        let server = try RunningServer()
        defer { server.stop() }  // Only if the test failed early: stopping twice just reaps.
        let client = try await server.client()
        _ = try await client.ping()
        #expect(server.stop() == 0)
        let error = await #expect(throws: WireError.self) { try await withDeadline(10) { try await client.ping() } }
        #expect(error?.code == .connectionClosed)
        await client.close()
    }

    @Test func requestOnAClosedClientFailsInsteadOfHanging() async throws {
        let server = try RunningServer()
        defer { #expect(server.stop() == 0) }
        let client = try await server.client()
        await client.close()
        let error = await #expect(throws: WireError.self) { try await withDeadline(10) { try await client.ping() } }
        #expect(error?.code == .connectionClosed)
    }
}
