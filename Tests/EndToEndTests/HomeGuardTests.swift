import Foundation
import PeerStoreBackup
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// The client home guards its identity and its device's head: a lost identity is not silently replaced, and two
/// backups of one device do not race.
@Suite(.serialized)
struct HomeGuardTests {
    @Test func aMissingIdentityInAUsedHomeIsRefusedNotReplaced() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-lost-identity")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: src + "/x.txt"))
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        // A first backup into an empty home creates the identity.
        let first = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
        #expect(first.status == 0, "\(first.stderr)")
        let identity = tmp.sub("home/identity")
        let original = try #require(FileManager.default.contents(atPath: identity))

        // The identity is lost; the nightly run refuses, with one line, and creates nothing.
        try FileManager.default.removeItem(atPath: identity)
        let nightly = try client.run(["-operation", "backup", "-quiet"])
        #expect(nightly.status == 1)
        #expect(nightly.stderr.contains("no identity") && nightly.stderr.contains("-operation init"), "\(nightly.stderr)")
        #expect(nightly.stderr.split(separator: "\n").count == 1, "\(nightly.stderr)")
        #expect(!FileManager.default.fileExists(atPath: identity))

        // An explicit init does make a new one (and says so).
        let initialised = try client.run(["-operation", "init"])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        #expect(initialised.stdout.contains("created a new identity"), "\(initialised.stdout)")
        #expect(FileManager.default.contents(atPath: identity) != original)
    }

    @Test func aSecondBackupOfTheSameDeviceWaitsItsTurn() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-two-backups")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: src + "/x.txt"))
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        let first = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-device", "laptop"])
        #expect(first.status == 0, "\(first.stderr)")

        // Another backup of this device holds the home's lock (as a running one does: flock, its pid in the file).
        let lockPath = tmp.sub("home/backup-laptop.lock")
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let pid = Array("4242\n".utf8)
        #expect(ftruncate(fd, 0) == 0 && pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } == pid.count)
        let second = try client.run(["-operation", "backup", "-device", "laptop"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("another backup of this device") && second.stderr.contains("(pid 4242)")
                && second.stderr.contains("nothing was lost"), "\(second.stderr)")
        // Another device of the same home is not held up.
        let other = try client.run(["-operation", "backup", "-device", "desktop"])
        #expect(other.status == 0, "\(other.stderr)")

        // Released: the next one runs.
        #expect(flock(fd, LOCK_UN) == 0)
        let third = try client.run(["-operation", "backup", "-device", "laptop"])
        #expect(third.status == 0, "\(third.stderr)")
    }

    /// Two runs (from two copies of a home, say) that read the same head: the one that moves it second is told what
    /// happened, not "record changed meanwhile".
    @Test func aLostHeadRaceSaysAnotherBackupMovedTheHead() async throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-head-race")
        defer { tmp.remove() }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let identity = Identity.generate()
        let entry = try await WireClient.connect(to: try PeerAddress(parsing: server.address), secure: .openDemo(identity: identity.signing))
        let ring = try await RingClient.start(entry: entry, secure: .openDemo(identity: identity.signing))
        let catalog = SnapshotCatalog(client: ring, identity: identity)
        let snapshot = BlockID.of([1, 2, 3])
        try await catalog.moveHead(device: "laptop", to: snapshot, time: 1, previous: nil)
        do {
            try await catalog.moveHead(device: "laptop", to: snapshot, time: 2, previous: nil)
            Issue.record("a second move from the same previous head was taken")
        } catch let error as BackupError {
            #expect(error.code == .concurrentBackup)
            #expect(error.message.contains("another backup of this device") && error.message.contains("nothing was lost"), "\(error)")
        }
        await ring.close()
    }
}
