import Logging
import Prometheus
import ServiceLifecycle

/// `GET /metrics` in Prometheus text format, as a ServiceLifecycle service (an `HTTPEndpoint`). Before each scrape it
/// runs `refresh`, which records the gauges that are read rather than counted (store size, ring size).
public struct MetricsEndpoint: Service {
    /// Prometheus text exposition format, version 0.0.4.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let endpoint: HTTPEndpoint

    /// An endpoint on `host:port` (port 0: a free port, told to `onListening`).
    public init(host: String, port: Int, registry: PrometheusCollectorRegistry, logger: Logger,
                refresh: @escaping @Sendable () async -> Void = {},
                onListening: @escaping @Sendable (_ host: String, _ port: Int) -> Void = { _, _ in }) {
        let page = HTTPPage(path: "/metrics") {
            await refresh()
            return .init(contentType: Self.contentType, body: registry.emitToBuffer())
        }
        endpoint = HTTPEndpoint(serving: "metrics", flag: "-metricsAddr", host: host, port: port, pages: [page],
                                logger: logger, onListening: onListening)
    }

    public func run() async throws { try await endpoint.run() }
}
