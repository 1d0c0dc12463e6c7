import Foundation
import PeerStoreTestKit
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Metrics through the real binaries: a node started with -metricsAddr serves Prometheus text whose counters and
/// gauges move during a backup, and a backup with -metricsFile leaves a textfile-collector summary that a failed run
/// updates without losing the last success.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct MetricsTests {
    @Test func aBackupMovesTheNodesMetricsAndLeavesAMetricsFile() async throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-metrics")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 16)
        for i in 0..<5 { try Data(rng.bytes(20_000 + i)).write(to: URL(fileURLWithPath: "\(src)/f\(i).bin")) }
        let metricsPort = try FreePort.loopback()
        let server = try ServerProcess(dataPath: tmp.sub("node"), extraArguments: ["-metricsAddr", "127.0.0.1:\(metricsPort)"])
        defer { server.stop() }
        let url = "http://127.0.0.1:\(metricsPort)/metrics"

        let before = try await Self.scrape(url)
        #expect(before.value("peerstore_store_blocks") == 0)
        #expect(before.types["peerstore_ring_known_nodes"] == "gauge")
        #expect(before.value("peerstore_ring_known_nodes") == 1)

        let client = ClientHarness(home: tmp.sub("home"))
        let metricsFile = tmp.sub("backup.prom")
        let backup = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src,
                                     "-metricsFile", metricsFile])
        #expect(backup.status == 0, "\(backup.stderr)")
        let sent = try #require(newBlocks(backup.stdout))

        let after = try await Self.scrape(url)
        // Small blocks go many to a request: at least one request, at most one per block.
        let single = after.value("peerstore_requests_total", ["op": "put_block"]) ?? 0
        let batched = after.value("peerstore_requests_total", ["op": "put_blocks"]) ?? 0
        #expect(single + batched >= 1 && single + batched <= Double(sent), "\(single) + \(batched) requests for \(sent) blocks")
        #expect(after.value("peerstore_store_block_puts_total") ?? 0 >= Double(sent))
        #expect(after.value("peerstore_store_blocks") ?? 0 >= Double(sent))
        #expect(after.value("peerstore_store_block_bytes") ?? 0 >= 100_000, "the files' bytes are stored")
        #expect(after.value("peerstore_store_segment_bytes") ?? 0 >= after.value("peerstore_store_block_bytes") ?? 0)
        #expect(after.value("peerstore_store_segments") ?? 0 >= 1)
        #expect(after.types["peerstore_request_duration_seconds"] == "histogram")
        #expect(after.value("peerstore_request_duration_seconds_count", ["op": "put_blocks"]) == batched)
        #expect(after.value("peerstore_handshakes_total", ["side": "server", "result": "ok"]) ?? 0 >= 1)

        let good = try PrometheusText(try String(contentsOfFile: metricsFile, encoding: .utf8))
        #expect(good.value("peerstore_backup_last_exit_code") == 0)
        #expect(good.value("peerstore_backup_files") == 5)
        #expect(good.value("peerstore_backup_blocks_sent") == Double(sent))
        let success = try #require(good.value("peerstore_backup_last_success_timestamp_seconds"))
        #expect(abs(success - Date().timeIntervalSince1970) < 120)
        #expect(good.value("peerstore_backup_last_run_timestamp_seconds") == success)

        // With the node gone, the nightly run fails: the file says so and keeps the last success.
        server.stop()
        let failed = try client.run(["-operation", "backup", "-metricsFile", metricsFile])
        #expect(failed.status == 1, "\(failed.stdout) \(failed.stderr)")
        let bad = try PrometheusText(try String(contentsOfFile: metricsFile, encoding: .utf8))
        #expect(bad.value("peerstore_backup_last_exit_code") == 1)
        #expect(bad.value("peerstore_backup_last_success_timestamp_seconds") == success)
        #expect(bad.value("peerstore_backup_files") == 5)
        #expect(bad.value("peerstore_backup_last_run_timestamp_seconds") ?? 0 >= success)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aRingOfTwoShowsInTheRingGaugesAndAntiEntropyReportsItsDeficit() async throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-metrics-ring")
        defer { tmp.remove() }
        let metricsPort = try FreePort.loopback()
        let timing = ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "0.5", "-replicas", "2"]
        let first = try ServerProcess(dataPath: tmp.sub("n0"), extraArguments: timing + ["-metricsAddr", "127.0.0.1:\(metricsPort)"])
        defer { first.stop() }
        let second = try ServerProcess(dataPath: tmp.sub("n1"), extraArguments: timing + ["-initialPeerAddr", first.address])
        defer { second.stop() }
        let url = "http://127.0.0.1:\(metricsPort)/metrics"
        let deadline = ContinuousClock.now + .seconds(30)
        var seen = try await Self.scrape(url)
        while ContinuousClock.now < deadline, seen.value("peerstore_ring_known_nodes") != 2
            || seen.value("peerstore_ring_successors") != 1 || seen.value("peerstore_repair_backlog_blocks") == nil {
            try await Task.sleep(for: .milliseconds(200))
            seen = try await Self.scrape(url)
        }
        #expect(seen.value("peerstore_ring_known_nodes") == 2)
        #expect(seen.value("peerstore_ring_successors") == 1)
        #expect(seen.value("peerstore_repair_rounds_total") ?? 0 >= 1)
        // Nothing stored, so nothing missing: the gauges are there and at zero.
        #expect(seen.value("peerstore_repair_replica_deficit_blocks") == 0)
        #expect(seen.value("peerstore_repair_backlog_blocks") == 0)
        #expect(seen.value("peerstore_handshakes_total", ["result": "ok"]) ?? 0 >= 1, "ring connections are handshakes too")
    }

    @Test func aMetricsFileIsOnlyForBackup() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-metrics-usage")
        defer { tmp.remove() }
        let r = try ClientHarness(home: tmp.sub("home")).run(["-operation", "snapshots", "-metricsFile", tmp.sub("x.prom")])
        #expect(r.status == 1 && r.stderr.contains("-metricsFile is for -operation backup"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("x.prom")))
    }

    /// GETs `url` and parses it as Prometheus text, checking the content type. The endpoint starts beside the node's
    /// listener, so a refused connection is tried again (for at most 10 s).
    static func scrape(_ url: String) async throws -> PrometheusText {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 10
        let deadline = ContinuousClock.now + .seconds(10)
        var answer: (Data, URLResponse)?
        while answer == nil {
            do {
                answer = try await URLSession.shared.data(for: request)
            } catch where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let (data, response) = answer!
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(http.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        return try PrometheusText(String(decoding: data, as: UTF8.self))
    }
}
