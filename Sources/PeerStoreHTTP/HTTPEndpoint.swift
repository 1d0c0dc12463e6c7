import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A few read-only pages over HTTP/1.1 (Hummingbird), as a ServiceLifecycle service: the node's metrics and status
/// page are each one. Answers carry no-cache and no-sniff headers, and HTML pages a policy that forbids scripts and
/// anything loaded from elsewhere.
public struct HTTPEndpoint: Service {
    /// What the endpoint serves and the flag that sets its address, for the one-line error when it cannot.
    let what: String, flag: String
    let host: String
    let port: Int
    let pages: [HTTPPage]
    let onListening: @Sendable (_ host: String, _ port: Int) -> Void
    let logger: Logger

    /// An endpoint on `host:port` (port 0: a free port, told to `onListening`).
    public init(serving what: String, flag: String, host: String, port: Int, pages: [HTTPPage], logger: Logger,
                onListening: @escaping @Sendable (_ host: String, _ port: Int) -> Void = { _, _ in }) {
        self.what = what
        self.flag = flag
        self.host = host
        self.port = port
        self.pages = pages
        self.onListening = onListening
        self.logger = logger
    }

    public func run() async throws {
        let router = Router()
        for page in pages {
            router.get(RouterPath(page.path)) { _, _ -> Response in
                let answer = await page.answer()
                var headers: HTTPFields = [.contentType: answer.contentType, .cacheControl: "no-store"]
                headers[.init("X-Content-Type-Options")!] = "nosniff"
                if answer.contentType.hasPrefix("text/html") {
                    headers[.init("Content-Security-Policy")!] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
                }
                return Response(status: .init(code: answer.status), headers: headers,
                                body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
            }
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
            throw HTTPEndpointError.serveFailed(what, on: "\(host):\(port)", flag: flag, error)
        }
    }
}
