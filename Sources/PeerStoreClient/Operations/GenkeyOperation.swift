import Foundation
import PeerStoreBackup
import PeerStoreWire

/// `genkey`: a new network key, never over an existing file.
struct GenkeyOperation: ClientOperation {
    static let name = "genkey"
    static let help = "write a new network key to -networkKeyFile FILE (give it to every node and client of the ring)"

    func run(_ context: OperationContext) async throws -> Int32 {
        guard let file = context.session.options.networkKeyFile else {
            throw BackupError(.usage, "genkey needs -networkKeyFile FILE (where to write the new key)")
        }
        if FileManager.default.fileExists(atPath: file) {
            throw BackupError(.usage, "\(file) already exists; a new key would lock everyone out of the ring, so it is left alone")
        }
        do {
            try NetworkKey.generate().save(path: file)
        } catch let error as WireError {
            throw BackupError(.io, error.message)
        }
        context.output.say("wrote a new network key to \(file) (0600). Keep it secret: give it to every node (-networkKeyFile) and every client.")
        return 0
    }
}
