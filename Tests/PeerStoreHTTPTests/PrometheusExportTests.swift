import Metrics
import PeerStoreHTTP
import PeerStoreTestKit
import Prometheus
import Testing

/// What the node's Prometheus backend exports: names with their units, in text that parses (no global bootstrap).
struct PrometheusExportTests {
    @Test func timersGetTheirUnitOtherNamesStay() {
        #expect(PrometheusNaming.exported("peerstore_request_duration") == "peerstore_request_duration_seconds")
        #expect(PrometheusNaming.exported("peerstore_store_block_puts_total") == "peerstore_store_block_puts_total")
        #expect(PrometheusNaming.exported("peerstore_store_blocks") == "peerstore_store_blocks")
    }

    @Test func theLibrariesMetricsComeOutAsPrometheusText() throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusBackend.factory(into: registry)
        Counter(label: "peerstore_requests_total", dimensions: [("op", "put_block")], factory: factory).increment(by: 3)
        Counter(label: "peerstore_requests_total", dimensions: [("op", "get_block")], factory: factory).increment()
        Gauge(label: "peerstore_store_block_bytes", factory: factory).record(4096)
        Timer(label: "peerstore_request_duration", dimensions: [("op", "put_block")], factory: factory)
            .record(duration: .milliseconds(20))
        let text = try PrometheusText(registry.emitToString())
        #expect(text.types["peerstore_requests_total"] == "counter")
        #expect(text.types["peerstore_store_block_bytes"] == "gauge")
        #expect(text.types["peerstore_request_duration_seconds"] == "histogram")
        #expect(text.value("peerstore_requests_total", ["op": "put_block"]) == 3)
        #expect(text.value("peerstore_requests_total") == 4)
        #expect(text.value("peerstore_store_block_bytes") == 4096)
        #expect(text.value("peerstore_request_duration_seconds_count", ["op": "put_block"]) == 1)
        #expect(abs((text.value("peerstore_request_duration_seconds_sum") ?? 0) - 0.02) < 1e-9)
        #expect(text.value("peerstore_request_duration_seconds_bucket", ["op": "put_block", "le": "0.025"]) == 1)
        #expect(text.value("peerstore_request_duration_seconds_bucket", ["op": "put_block", "le": "0.01"]) == 0)
    }

    @Test func theParserRefusesWhatIsNotPrometheusText() {
        #expect(throws: TestKitError.self) { try PrometheusText("a_total 1\n") }  // no TYPE first
        #expect(throws: TestKitError.self) { try PrometheusText("# TYPE a counter\na{x=\"1\" 1\n") }
        #expect(throws: TestKitError.self) { try PrometheusText("# TYPE a counter\na one\n") }
        #expect(throws: TestKitError.self) { try PrometheusText("# TYPE a widget\na 1\n") }
        #expect(throws: TestKitError.self) { try PrometheusText("# TYPE 1a counter\n") }
        let ok = try? PrometheusText("# HELP a A thing.\n# TYPE a gauge\na{x=\"q\\\"uote\",y=\"2\"} -1.5 1700000000000\n\n")
        #expect(ok?.samples == [.init(name: "a", labels: ["x": "q\"uote", "y": "2"], value: -1.5)])
    }
}
