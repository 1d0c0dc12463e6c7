import Foundation
import PeerStoreTestKit
import Testing

/// A file that changes while a backup reads it: read again, and if it changes again it is stored as last read,
/// reported, and the backup exits 3.
@Suite(.serialized)
struct ChangingFileTests {
    @Test func aFileThatKeepsChangingIsReportedAndTheBackupExits3() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-changing")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        let busy = src + "/busy.bin"
        let size = 48 << 20
        try Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }).write(to: URL(fileURLWithPath: busy))
        try Data("calm".utf8).write(to: URL(fileURLWithPath: src + "/calm.txt"))
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))

        // Sets the file's size back and forth (each change moves its size, mtime and ctime) until the backup is over.
        let writer = Toggler(path: busy, size: size)
        writer.start()
        let r = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
        let toggles = writer.stop()
        #expect(toggles > 10)
        #expect(r.status == 3, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("changed while being read: busy.bin"), "\(r.stderr)")
        #expect(!r.stderr.contains("calm.txt"))
        #expect(!r.stderr.contains("skipped"), "\(r.stderr)")

        // Settled now: the next backup reads it once, says nothing, exits 0, and a restore gives the settled file.
        let again = try client.run(["-operation", "backup", "-noCache"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stderr.contains("changed while being read"))
        let out = tmp.sub("out")
        let restore = try client.run(["-operation", "restore", "-filedest", out])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(FileManager.default.contents(atPath: out + "/busy.bin") == FileManager.default.contents(atPath: busy))
    }
}

/// A thread that truncates a file to `size` and `size + 1` in turn, every 200 µs, for at most 120 s.
private final class Toggler: @unchecked Sendable {
    let path: String
    let size: Int
    private let lock = NSLock()
    private var stopping = false
    private var count = 0
    private let done = DispatchSemaphore(value: 0)

    init(path: String, size: Int) {
        self.path = path
        self.size = size
    }

    func start() {
        Thread {
            let fd = open(self.path, O_WRONLY)
            let deadline = Date().addingTimeInterval(120)
            var i = 0
            while fd >= 0, !self.lock.withLock({ self.stopping }), Date() < deadline {
                _ = ftruncate(fd, off_t(self.size + (i & 1)))
                i += 1
                usleep(200)
            }
            if fd >= 0 {
                _ = ftruncate(fd, off_t(self.size))
                close(fd)
            }
            self.lock.withLock { self.count = i }
            self.done.signal()
        }.start()
    }

    /// Stops the thread and waits for it; returns how many times it changed the file.
    func stop() -> Int {
        lock.withLock { stopping = true }
        done.wait()
        return lock.withLock { count }
    }
}
