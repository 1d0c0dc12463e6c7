import ArgumentParser
import Foundation
import Logging
import PeerStoreNode
import PeerStoreWire
import ServiceLifecycle

extension ServerCommand {
    /// Runs the operation the flags name: the node (with its metrics and status page), or a one-off command.
    mutating func run() async throws {
        if version {
            print("peerstore-server \(PeerStoreVersion.current)")
            return
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "peerstore.server")
        if operation == "status" {
            try await RingStatusCommand.run(peerAddr: peerAddr, networkKeyFile: networkKeyFile)
            return
        }
        if operation == "scrub" { return try await ScrubCommand.run(self, logger: logger) }
        guard operation == "run" else {
            Console.error("peerstore-server: unknown -operation '\(operation)': use run, status or scrub")
            throw ExitCode.failure
        }
        do {
            let listen = try PeerAddress(parsing: addr)
            let path = dataPath ?? ".peerstore/\(listen.port)"
            let absolutePath = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            let settings = try nodeSettings(listen: listen, dataPath: path)
            let metrics = try prepareMetrics()
            let status = try httpAddress("-httpAddr", httpAddr)
            let server = try NodeServer(settings: settings, logger: logger) { bound, advertised in
                // Unbuffered, so that a supervisor or test reading our stdout sees it at once.
                let reached = advertised == bound ? "" : ", reached at \(advertised)"
                Console.output("peerstore-server listening on \(bound)\(reached), data in \(absolutePath)\n")
            }
            let nodeKey = PublicKeyText.encode(server.nodeKey.keys.publicKey, prefix: "pn")
            Console.output("peerstore-server node key \(nodeKey) (clients may pin it: -peerAddr \(nodeKey)@HOST:PORT)\n")
            let services = [server] + metricsServices(metrics, for: server, logger: logger)
                + statusServices(status, for: server, networkKey: settings.networkKey, logger: logger)
            let group = ServiceGroup(
                configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch {
            Console.error("peerstore-server: \(error)")
            throw ExitCode.failure
        }
    }
}
