import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// `GET /metrics` over HTTP/1.1 in Prometheus text format (Hummingbird), as a ServiceLifecycle service. Before each
/// scrape it runs `refresh`, which records the gauges that are read rather than counted (store size, ring size).
public struct MetricsEndpoint: Service {
    /// Prometheus text exposition format, version 0.0.4.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let host: String
    let port: Int
    let registry: PrometheusCollectorRegistry
    let refresh: @Sendable () async -> Void
    let onListening: @Sendable (_ host: String, _ port: Int) -> Void
    let logger: Logger

    /// An endpoint on `host:port` (port 0: a free port, told to `onListening`).
    public init(host: String, port: Int, registry: PrometheusCollectorRegistry, logger: Logger,
                refresh: @escaping @Sendable () async -> Void = {},
                onListening: @escaping @Sendable (_ host: String, _ port: Int) -> Void = { _, _ in }) {
        self.host = host
        self.port = port
        self.registry = registry
        self.refresh = refresh
        self.onListening = onListening
        self.logger = logger
    }

    public func run() async throws {
        let router = Router()
        let registry = self.registry
        let refresh = self.refresh
        router.get("metrics") { _, _ -> Response in
            await refresh()
            let body = ByteBuffer(bytes: registry.emitToBuffer())
            return Response(status: .ok, headers: [.contentType: Self.contentType], body: .init(byteBuffer: body))
        }
        let host = self.host
        let onListening = self.onListening
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "peerstore"),
            onServerRunning: { channel in onListening(host, channel.localAddress?.port ?? 0) },
            logger: logger)
        do {
            try await app.run()
        } catch {
            throw MetricsEndpointError.serveFailed("\(host):\(port)", error)
        }
    }
}
