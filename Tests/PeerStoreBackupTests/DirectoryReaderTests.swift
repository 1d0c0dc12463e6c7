import Foundation
import Testing

@testable import PeerStoreBackup

#if canImport(Glibc)
import Glibc
#endif

/// Listing folders: names are read only up to their end, never past the record readdir returned.
struct DirectoryReaderTests {
    /// A short record at the very end of a mapped page, the next page unreadable: reading its name must not touch the
    /// next page (copying the whole 256-byte `d_name` out of the record did, and crashed a backup).
    @Test func aShortRecordAtTheEndOfAPageIsReadWithinIt() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let base = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        #expect(base != MAP_FAILED)
        defer { munmap(base, 2 * page) }
        #expect(mprotect(base + page, page, PROT_NONE) == 0)
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        let recordLength = (nameOffset + 4 + 7) & ~7  // "abc" and its NUL, padded to 8 as the kernel does
        let record = base + page - recordLength
        record.storeBytes(of: UInt16(recordLength), toByteOffset: MemoryLayout<dirent>.offset(of: \dirent.d_reclen)!,
                          as: UInt16.self)
        for (i, byte) in Array("abc\0".utf8).enumerated() { record.storeBytes(of: byte, toByteOffset: nameOffset + i, as: UInt8.self) }
        #expect(DirectoryReader.nameBytes(of: UnsafeRawPointer(record)) == Array("abc".utf8))
    }

    /// A record whose name fills it to the end without a NUL stops at the record's length.
    @Test func aNameEndsAtTheRecordLengthWithoutANul() throws {
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        var bytes = [UInt8](repeating: 0x41, count: nameOffset + 5)
        let length = UInt16(nameOffset + 5)
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: length, toByteOffset: MemoryLayout<dirent>.offset(of: \dirent.d_reclen)!, as: UInt16.self)
        }
        let name = bytes.withUnsafeBytes { DirectoryReader.nameBytes(of: $0.baseAddress!) }
        #expect(name == Array("AAAAA".utf8))
    }

    /// Many names of every length up to 255 bytes, listed over and over from several tasks at once (a backup lists
    /// folders while its progress count lists them too): every listing is whole and in order.
    @Test func manyNamesOfEveryLengthListedConcurrently() async throws {
        let dir = NSTemporaryDirectory() + "dirreader-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var names: [String] = []
        for length in 1...255 {
            for variant in ["a", "b", "c"] {
                let name = variant + String(repeating: String(length % 10), count: length - 1)
                #expect(FileManager.default.createFile(atPath: dir + "/" + name, contents: nil))
                names.append(name)
            }
        }
        let expected = names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<50 where try DirectoryReader.list(LocalPath(dir)).names.map(\.string) != expected { return false }
                    return true
                }
            }
            for try await whole in group { #expect(whole) }
        }
    }
}
