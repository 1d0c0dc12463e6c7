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
}
