import Foundation
import Logging
import PeerStoreHTTP
import ServiceLifecycle
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Pages over a real socket on 127.0.0.1 (port 0): each path its own answer, made afresh per request, with its status
/// code; every answer uncached and unsniffed, HTML under a policy without scripts; an unknown path is not found.
@Suite(.timeLimit(.minutes(1)))
struct HTTPEndpointTests {
    @Test func pagesAreAnsweredWithTheirStatusAndSafeHeaders() async throws {
        let calls = Calls()
        let pages = [
            HTTPPage(path: "/") {
                .init(contentType: "text/html; charset=utf-8", body: Array("<p>page \(calls.next())</p>".utf8))
            },
            HTTPPage(path: "/down.json") { .init(status: 503, contentType: "application/json", body: Array("{}".utf8)) },
        ]
        let port = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let endpoint = HTTPEndpoint(serving: "pages", flag: "-x", host: "127.0.0.1", port: 0, pages: pages, logger: logger,
                                    onListening: { _, bound in port.continuation.yield(bound) })
        let group = ServiceGroup(services: [endpoint], logger: logger)
        let running = Task { try await group.run() }
        defer { running.cancel() }
        var ports = port.stream.makeAsyncIterator()
        let bound = try #require(await ports.next())

        let (first, html) = try await MetricsEndpointTests.get("http://127.0.0.1:\(bound)/")
        let (second, _) = try await MetricsEndpointTests.get("http://127.0.0.1:\(bound)/")
        #expect(first == "<p>page 1</p>" && second == "<p>page 2</p>", "made afresh per request")
        #expect(html.statusCode == 200)
        #expect(html.value(forHTTPHeaderField: "Content-Type") == "text/html; charset=utf-8")
        #expect(html.value(forHTTPHeaderField: "Cache-Control") == "no-store")
        #expect(html.value(forHTTPHeaderField: "X-Content-Type-Options") == "nosniff")
        let policy = try #require(html.value(forHTTPHeaderField: "Content-Security-Policy"))
        #expect(policy.contains("default-src 'none'") && !policy.contains("script"))

        let (_, down) = try await MetricsEndpointTests.get("http://127.0.0.1:\(bound)/down.json")
        #expect(down.statusCode == 503)
        #expect(down.value(forHTTPHeaderField: "Content-Security-Policy") == nil, "a policy for HTML only")
        let (_, missing) = try await MetricsEndpointTests.get("http://127.0.0.1:\(bound)/status")
        #expect(missing.statusCode == 404)
        await group.triggerGracefulShutdown()
        try await running.value
    }

    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func next() -> Int { lock.withLock { count += 1; return count } }
    }
}
