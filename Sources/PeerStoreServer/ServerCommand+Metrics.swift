import Logging
import PeerStoreHTTP
import PeerStoreNode
import PeerStoreWire
import ServiceLifecycle

extension ServerCommand {
    /// With -metricsAddr: checks the address and bootstraps the process's metrics (nil without it). Called before the
    /// node is built, since the block store takes its counters from the backend at open.
    func prepareMetrics() throws -> PeerAddress? {
        guard let address = try httpAddress("-metricsAddr", metricsAddr) else { return nil }
        _ = PrometheusBackend.bootstrapOnce()
        return address
    }

    /// The Prometheus endpoint on `address` (none without one), reading the node's gauges before each scrape.
    func metricsServices(_ address: PeerAddress?, for server: NodeServer, logger: Logger) -> [any Service] {
        guard let address else { return [] }
        let endpoint = MetricsEndpoint(
            host: address.host, port: address.port, registry: PrometheusBackend.bootstrapOnce(), logger: logger,
            refresh: { if let parts = server.parts { await NodeGauges(parts).record() } },
            onListening: { host, port in
                Console.output("peerstore-server metrics on http://\(host):\(port)/metrics\n")
            })
        return [endpoint]
    }
}
