import Foundation
import Logging
import Metrics
import PeerStoreHTTP
import PeerStoreTestKit
import Prometheus
import ServiceLifecycle
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `GET /metrics` over a real socket on 127.0.0.1 (port 0): the registry's text with the exposition content type,
/// the gauges refreshed before each scrape; other paths are not found.
@Suite(.timeLimit(.minutes(1)))
struct MetricsEndpointTests {
    @Test func aScrapeGetsFreshPrometheusText() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusBackend.factory(into: registry)
        let scrapes = Counter(label: "test_refreshes_total", factory: factory)
        let port = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let endpoint = MetricsEndpoint(host: "127.0.0.1", port: 0, registry: registry, logger: logger,
                                       refresh: { scrapes.increment() }, onListening: { _, bound in port.continuation.yield(bound) })
        let group = ServiceGroup(services: [endpoint], logger: logger)
        let running = Task { try await group.run() }
        defer { running.cancel() }
        var ports = port.stream.makeAsyncIterator()
        let bound = try #require(await ports.next())
        #expect(bound > 0)

        for expected in 1...2 {
            let (body, response) = try await Self.get("http://127.0.0.1:\(bound)/metrics")
            #expect(response.statusCode == 200)
            #expect(response.value(forHTTPHeaderField: "Content-Type") == MetricsEndpoint.contentType)
            let text = try PrometheusText(body)
            #expect(text.value("test_refreshes_total") == Double(expected), "refreshed before each scrape: \(body)")
        }
        let (_, missing) = try await Self.get("http://127.0.0.1:\(bound)/other")
        #expect(missing.statusCode == 404)
        await group.triggerGracefulShutdown()
        try await running.value
    }

    static func get(_ url: String) async throws -> (String, HTTPURLResponse) {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        return (String(decoding: data, as: UTF8.self), try #require(response as? HTTPURLResponse))
    }
}

/// An address that is taken fails with one line naming it and what to do.
@Suite(.timeLimit(.minutes(1)))
struct MetricsEndpointBusyTests {
    @Test func aTakenPortIsSaidPlainly() async throws {
        let registry = PrometheusCollectorRegistry()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let port = AsyncStream<Int>.makeStream()
        let first = MetricsEndpoint(host: "127.0.0.1", port: 0, registry: registry, logger: logger,
                                    onListening: { _, bound in port.continuation.yield(bound) })
        let group = ServiceGroup(services: [first], logger: logger)
        let running = Task { try await group.run() }
        var ports = port.stream.makeAsyncIterator()
        let bound = try #require(await ports.next())
        let second = MetricsEndpoint(host: "127.0.0.1", port: bound, registry: registry, logger: logger)
        let error = await #expect(throws: HTTPEndpointError.self) { try await second.run() }
        #expect(error?.code == .serveFailed)
        #expect(error?.description.contains("127.0.0.1:\(bound)") == true && error?.description.contains("-metricsAddr") == true)
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
