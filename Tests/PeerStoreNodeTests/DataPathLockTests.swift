import Foundation
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// Two servers never share a data path: the second one exits non-zero and the first keeps serving.
@Suite struct DataPathLockTests {
    @Test(.timeLimit(.minutes(1)))
    func secondServerOnSameDataPathExitsNonZero() async throws {
        let dir = try TemporaryDirectory(prefix: "lock-test")
        defer { dir.remove() }
        let dataPath = dir.sub("node")
        let first = try ServerProcess(dataPath: dataPath)
        defer { first.kill() }

        let second = Process()
        second.executableURL = URL(fileURLWithPath: try BinaryLocator.path(of: "peerstore-server"))
        second.arguments = ["-addr", "127.0.0.1:0", "-dataPath", dataPath]
        let errors = Pipe()
        second.standardError = errors
        second.standardOutput = FileHandle.nullDevice
        try second.run()
        let deadline = Date().addingTimeInterval(20)
        while second.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        if second.isRunning {
            second.terminate()
            Issue.record("the second server did not exit while the first held the data path")
        }
        second.waitUntilExit()
        #expect(second.terminationReason == .exit)
        #expect(second.terminationStatus != 0)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("in use"), "stderr: \(message)")

        // The first server is unharmed.
        let client = try await withDeadline(10) { try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: first.port), secure: .openDemo()) }
        _ = try await withDeadline(10) { try await client.ping() }
        await client.close()
        #expect(first.process.isRunning)
    }
}
