import Foundation
import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// The client's session is a library type a test builds in one line: config with this run's device over it, and the
/// flags that say how to reach the ring remembered as the command line gave them.
@Suite struct ClientSessionTests {
    @Test func configAndRememberedRing() throws {
        let tmp = try TemporaryDirectory(prefix: "session")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        _ = try home.ensureInitialised()
        let session = ClientSession(home: home, options: SessionOptions(peerAddr: "10.0.0.5:3001", networkKeyFile: "ring.key", device: "laptop"))
        var config = try session.config()
        #expect(config.device == "laptop")
        session.rememberRing(in: &config)
        #expect(config.peerAddr == "10.0.0.5:3001")
        #expect(config.networkKeyFile == FileManager.default.currentDirectoryPath + "/ring.key")
        // Without flags nothing is overridden, and a missing key file is the open demo ring, said in a note.
        let notes = LockedNotes()
        let plain = ClientSession(home: home, note: { notes.add($0) })
        #expect(try plain.config().device != "laptop")
        _ = try plain.networkKey(try plain.config())
        #expect(notes.all.contains { $0.contains("open demo ring") })
    }
}

/// Notes collected from a session.
final class LockedNotes: @unchecked Sendable {
    private let lock = NSLock()
    private var notes: [String] = []
    func add(_ note: String) { lock.lock(); notes.append(note); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return notes }
}
