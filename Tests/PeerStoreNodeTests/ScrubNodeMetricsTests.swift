import Foundation
import PeerStoreTestKit
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running node scrubs on its own (`-scrubInterval`) and exports what it found on `-metricsAddr`.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ScrubNodeMetricsTests {
    func scrape(_ url: String) async throws -> PrometheusText? {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 5
        guard let (data, _) = try? await URLSession.shared.data(for: request) else { return nil }
        return try PrometheusText(String(decoding: data, as: UTF8.self))
    }

    @Test func aDamagedBlockFoundByTheRunningNodeIsCountedInItsMetrics() async throws {
        let tmp = try TemporaryDirectory(prefix: "scrub-metrics")
        defer { tmp.remove() }
        let port = try FreePort.loopback()
        let ring = try LocalRing(nodes: 1, in: tmp, arguments: ["-metricsAddr", "127.0.0.1:\(port)", "-scrubInterval", "0.5"])
        defer { ring.stopAll() }
        let src = try ring.corpus(mib: 1, seed: 59, smallFiles: 5)
        let backup = try ring.client(["-operation", "backup", "-peerAddr", ring.first.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        let victim = try #require(blockEntries(ring.first.dataPath).max { $0.length < $1.length })
        try flipByte(victim.segment, at: victim.offset + 7)

        let url = "http://127.0.0.1:\(port)/metrics"
        let deadline = Date().addingTimeInterval(30)
        var metrics: PrometheusText?
        while Date() < deadline {
            metrics = try await scrape(url)
            if (metrics?.value("peerstore_scrub_damaged_total", ["kind": "block"]) ?? 0) >= 1 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let found = try #require(metrics, "no metrics from \(url)")
        #expect(found.value("peerstore_scrub_damaged_total", ["kind": "block"]) == 1)
        #expect(found.value("peerstore_scrub_damaged_total", ["kind": "record"]) == 0)
        #expect(found.value("peerstore_scrub_dropped_total") == 1)
        #expect(found.value("peerstore_scrub_passes_total") ?? 0 >= 1)
        #expect(found.value("peerstore_scrub_entries_total") ?? 0 > 1)
        #expect(found.value("peerstore_scrub_bytes_total") ?? 0 >= Double(victim.length))
        #expect(found.types["peerstore_scrub_pass_duration_seconds"] == "histogram")
        #expect(found.value("peerstore_store_blocks") ?? 0 >= 1)
    }
}
