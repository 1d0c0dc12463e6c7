import ArgumentParser
import Logging
import PeerStoreNode
import PeerStoreWire

/// `peerstore-server -operation scrub`: one scrub pass over a stopped node's data path, its result in a few lines.
/// Exit 0: nothing damaged; 3: damaged copies found (and dropped, for the ring to replace); 1: it could not run.
enum ScrubCommand {
    static func run(_ command: ServerCommand, logger: Logger) async throws {
        do {
            let path = try command.dataPath ?? ".peerstore/\(PeerAddress(parsing: command.addr).port)"
            let rate = try command.scrubBytesPerSecond(offline: true)
            let report = try await OfflineScrub.run(dataPath: path, bytesPerSecond: rate, logger: logger)
            print("peerstore-server scrub of \(path)")
            for line in report.lines { print(line) }
            if report.damaged > 0 || report.unreadable > 0 { throw ExitCode(3) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.error("peerstore-server: \(error)")
            throw ExitCode.failure
        }
    }
}
