import ArgumentParser
import PeerStoreNode
import PeerStoreWire

/// `peerstore-server -operation status`: the ring as a table, walked from -peerAddr.
enum RingStatusCommand {
    static func run(peerAddr: String, networkKeyFile: String?) async throws {
        do {
            let key = try networkKeyFile.map { try NetworkKey.load(path: $0) } ?? .openDemo
            let (statuses, complete) = try await RingSurvey.walk(from: try PeerAddress(parsing: peerAddr), networkKey: key)
            print(RingSurvey.table(statuses))
            if !complete {
                Console.error("peerstore-server: the ring walk stopped at a node that did not answer")
                throw ExitCode(3)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.error("peerstore-server: \(error)")
            throw ExitCode.failure
        }
    }
}
