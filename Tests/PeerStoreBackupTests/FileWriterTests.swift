import Foundation
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// A restored file gets its bytes exactly, and its zero blocks stay holes even when chunks start mid-block.
struct FileWriterTests {
    @Test func zerosInsideChunksBecomeHolesAndTheBytesAreExact() throws {
        let tmp = try TemporaryDirectory(prefix: "file-writer")
        defer { tmp.remove() }
        var rng = SeededRandom(seed: 4)
        // Chunks cut at odd offsets: zeros then data, data then zeros, all zeros, and zeros before a short tail.
        let chunks: [[UInt8]] = [
            [UInt8](repeating: 0, count: (1 << 20) + 100) + rng.bytes(5000),
            rng.bytes(3) + [UInt8](repeating: 0, count: 2 << 20),
            [UInt8](repeating: 0, count: 777_777),
            [UInt8](repeating: 0, count: 1 << 20) + rng.bytes(10),
        ]
        let path = tmp.sub("out")
        var writer = try FileWriter(finalPath: LocalPath(path))
        for chunk in chunks { try writer.append(chunk) }
        try writer.commit(mode: 0o640, mtime: Timestamp(seconds: 5, nanoseconds: 6), uid: nil, gid: nil)

        let expected = chunks.flatMap { $0 }
        #expect(FileManager.default.contents(atPath: path) == Data(expected))
        var st = stat()
        #expect(lstat(path, &st) == 0)
        #expect(st.st_size == expected.count)
        // 5,013 bytes of data touch at most 5 blocks; the file is about 5 MiB.
        #expect(Int(st.st_blocks) * 512 <= 64 << 10, "\(st.st_blocks) blocks allocated")
    }

    /// A file written under its final name gets exactly its mode whether the umask leaves the mode whole (created with
    /// it) or not (set at the end), and with a special bit; a temp-name file too.
    @Test(arguments: [(0o644, true), (0o640, true), (0o666, true), (0o777, true), (0o000, true), (0o4755, true), (0o644, false)])
    func everyFileGetsExactlyItsMode(mode: Int, direct: Bool) throws {
        let tmp = try TemporaryDirectory(prefix: "file-writer-mode")
        defer { tmp.remove() }
        let path = tmp.sub("out")
        var writer = try FileWriter(finalPath: LocalPath(path), direct: direct, mode: UInt32(mode))
        try writer.append([1, 2, 3])
        try writer.commit(mode: UInt32(mode), mtime: Timestamp(seconds: 5, nanoseconds: 6), uid: nil, gid: nil)
        var st = stat()
        #expect(lstat(path, &st) == 0)
        #expect(Int(st.st_mode) & 0o7777 == mode)
        #expect(st.st_size == 3)
        #expect(ProcessUmask.current != nil)
    }
}
