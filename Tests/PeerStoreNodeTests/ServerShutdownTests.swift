import Foundation
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

@Suite("Server shutdown", .timeLimit(.minutes(2)))
struct ServerShutdownTests {
    @Test func sigtermExitsZero() throws {
        let server = try RunningServer()
        #expect(server.stop() == 0)
    }

    @Test func sigtermWithAnOpenConnectionExitsZeroPromptlyAndKeepsTheData() async throws {
        let server = try RunningServer()
        defer { server.process.stop(timeout: 1); server.dir.remove() }
        let client = try await server.client()
        let bytes = Array("durable before shutdown".utf8)
        #expect(try await client.putBlock(id: BlockID.of(bytes), bytes: bytes))
        let started = Date()
        let status = server.process.stop(timeout: 20)
        #expect(status == 0, "\(server.log)")
        #expect(Date().timeIntervalSince(started) < 15)
        await client.close()

        // A new server on the same data path still has the block.
        let again = try ServerProcess(dataPath: server.process.dataPath)
        defer { #expect(again.stop() == 0) }
        let second = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: again.port), secure: .openDemo())
        defer { Task { await second.close() } }
        #expect(try await second.getBlock(id: BlockID.of(bytes)) == bytes)
    }

    @Test func sigtermWhileRequestsAreInFlightKeepsEveryAcknowledgedBlock() async throws {
        let server = try RunningServer()
        let client = try await server.client()
        let process = server.process
        defer { process.stop(timeout: 1); server.dir.remove() }
        let count = 300
        let blocks = (0..<count).map { i in [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: 1000) + [UInt8(i >> 8), UInt8(i & 255)] }

        // The first put is acknowledged before the signal; the rest race with it: each is acknowledged or fails,
        // never hangs.
        #expect(try await client.putBlock(id: BlockID.of(blocks[0]), bytes: blocks[0]))
        let acknowledged = try await withDeadline(60) {
            try await withThrowingTaskGroup(of: Int?.self) { group in
                group.addTask { 0 }
                for (i, bytes) in blocks.enumerated().dropFirst() {
                    group.addTask { (try? await client.putBlock(id: BlockID.of(bytes), bytes: bytes)) == true ? i : nil }
                }
                group.addTask {
                    try await Task.sleep(nanoseconds: 20_000_000)
                    process.process.terminate()
                    return nil
                }
                return try await group.compactMap { $0 }.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        // Wait for the exit the signal asked for (no second signal), bounded; stop() then only reaps or kills.
        for _ in 0..<1000 where process.process.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
        #expect(process.stop(timeout: 1) == 0, "\(server.log)")
        await client.close()

        let again = try ServerProcess(dataPath: server.process.dataPath)
        defer { #expect(again.stop() == 0) }
        let second = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: again.port), secure: .openDemo())
        defer { Task { await second.close() } }
        let present = try await second.haveBlocks(acknowledged.map { BlockID.of(blocks[$0]) })
        #expect(present.allSatisfy { $0 }, "\(present.filter { !$0 }.count) of \(acknowledged.count) acknowledged blocks lost")
    }
}
