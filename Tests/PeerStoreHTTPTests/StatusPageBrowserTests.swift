import Foundation
import PeerStoreTestKit
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The status page of a live ring of three real nodes, loaded in headless Chromium: the DOM shows the three nodes on
/// the circle and in the table, healthy, with the activity of a backup just made; `/status.json` says the same. The
/// screenshot is what the README shows (set PEERSTORE_STATUS_SCREENSHOT=PATH to keep it).
@Suite(.serialized, .timeLimit(.minutes(4)))
struct StatusPageBrowserTests {
    @Test func chromiumShowsTheThreeNodesOfALiveRing() async throws {
        let browser = try HeadlessChromium()
        let tmp = try TemporaryDirectory(prefix: "status-page")
        defer { tmp.remove() }
        let httpPort = try FreePort.loopback()
        let timing = ["-stabilizeInterval", "0.2", "-antiEntropyInterval", "0.5"]
        let first = try ServerProcess(dataPath: tmp.sub("n0"), extraArguments: timing + ["-httpAddr", "127.0.0.1:\(httpPort)"])
        defer { first.stop() }
        let others = try (1...2).map { i in
            try ServerProcess(dataPath: tmp.sub("n\(i)"), extraArguments: timing + ["-initialPeerAddr", first.address])
        }
        defer { others.forEach { $0.stop() } }
        let base = "http://127.0.0.1:\(httpPort)"

        // The ring settles: three nodes, every one healthy (bounded: 60 s).
        var ring = try await Self.json(base + "/status.json")
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, !(Self.nodes(ring).count == 3 && Self.healthy(ring)) {
            try await Task.sleep(for: .milliseconds(300))
            ring = try await Self.json(base + "/status.json")
        }
        #expect(Self.nodes(ring).count == 3, "\(ring)")
        #expect(Self.healthy(ring), "\(ring)")

        // A backup through the first node: its blocks land on the nodes and show as activity.
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 17)
        for i in 0..<8 { try Data(rng.bytes(40_000 + i)).write(to: URL(fileURLWithPath: "\(src)/f\(i).bin")) }
        let backup = try CommandRunner.run("peerstore-client", ["-home", tmp.sub("home"), "-operation", "backup",
                                                                 "-peerAddr", first.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        try await Task.sleep(for: .seconds(2.5))  // past the page's two-second cache of the ring walk
        ring = try await Self.json(base + "/status.json")
        let nodes = Self.nodes(ring)
        let stored = nodes.map { ($0["blocks"] as? Int) ?? 0 }
        #expect(stored.allSatisfy { $0 > 0 }, "three copies of every block: \(stored)")
        let puts = nodes.compactMap { ($0["activity"] as? [String: Any])?["putsLastMinute"] as? Int }
        #expect(puts.count == 3 && puts.reduce(0, +) > 0, "\(nodes)")

        // The page in a real browser.
        let dom = try browser.dom(base + "/")
        #expect(dom.components(separatedBy: "<g class=\"node\"").count - 1 == 3, "\(dom.prefix(2000))")
        #expect(dom.components(separatedBy: "<tr class=\"node-row\"").count - 1 == 3)
        #expect(dom.contains("3 nodes, healthy"), "\(dom.prefix(2000))")
        for server in [first] + others { #expect(dom.contains(server.address), "\(server.address) is on the page") }
        #expect(dom.contains("all copies in place") || dom.contains("missing"), "the last repair round is shown")

        let png = tmp.sub("status.png")
        try browser.screenshot(base + "/", to: png, width: 1280, height: 920)
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(Array(image.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        #expect(image.count > 20_000, "a drawn page, not a blank one: \(image.count) bytes")
        if let keep = ProcessInfo.processInfo.environment["PEERSTORE_STATUS_SCREENSHOT"], !keep.isEmpty {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: png, toPath: keep)
        }
    }

    static func nodes(_ ring: [String: Any]) -> [[String: Any]] { ring["nodes"] as? [[String: Any]] ?? [] }

    static func healthy(_ ring: [String: Any]) -> Bool {
        (ring["complete"] as? Bool) == true && nodes(ring).allSatisfy { ($0["problems"] as? [Any])?.isEmpty == true }
    }

    /// GETs `url` as a JSON object. The endpoint starts beside the node's listener, so a refused connection is tried
    /// again (for at most 10 s); a 503 (the ring could not be walked yet) reads as an empty ring.
    static func json(_ url: String) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 10
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                let http = try #require(response as? HTTPURLResponse)
                #expect(http.value(forHTTPHeaderField: "Content-Type") == "application/json")
                guard http.statusCode == 200 else { return [:] }
                return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            } catch where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
