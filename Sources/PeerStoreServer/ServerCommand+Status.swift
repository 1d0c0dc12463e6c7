import Foundation
import Logging
import PeerStoreHTTP
import PeerStoreNode
import PeerStoreWire
import ServiceLifecycle

extension ServerCommand {
    /// The status page on `address` (none without one): `/` draws the ring walked from this node, `/status.json` is
    /// the same as JSON. A walk is shared by the requests of two seconds (`RingViewSource`).
    func statusServices(_ address: PeerAddress?, for server: NodeServer, networkKey: NetworkKey, logger: Logger) -> [any Service] {
        guard let address else { return [] }
        let source = RingViewSource {
            guard let me = server.parts?.me, let own = try? PeerAddress(parsing: me.address) else {
                throw NodeError(.notListening, "the node is not listening yet")
            }
            return try await RingSurvey.walk(from: PeerAddress(host: own.host, port: own.port, key: me.key), networkKey: networkKey)
        }
        let page = HTTPPage(path: "/") {
            switch await source.view() {
            case .success(let view):
                return .init(contentType: "text/html; charset=utf-8", body: Array(StatusPage.html(view).utf8))
            case .failure(let error):
                return .init(status: 503, contentType: "text/html; charset=utf-8", body: Array(StatusPage.unavailable(error).utf8))
            }
        }
        let json = HTTPPage(path: "/status.json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            switch await source.view() {
            case .success(let view):
                return .init(contentType: "application/json", body: Array((try? encoder.encode(view)) ?? Data()))
            case .failure(let error):
                return .init(status: 503, contentType: "application/json",
                             body: Array((try? encoder.encode(["error": "\(error)"])) ?? Data()))
            }
        }
        let endpoint = HTTPEndpoint(
            serving: "the status page", flag: "-httpAddr", host: address.host, port: address.port, pages: [page, json],
            logger: logger,
            onListening: { host, port in Console.output("peerstore-server status page on http://\(host):\(port)/\n") })
        return [endpoint]
    }
}
