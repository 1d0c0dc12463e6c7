import BlockStore
import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit

/// Random bytes and their block id.
func randomBlock(_ size: Int) -> (id: Identifier, bytes: [UInt8]) {
    let bytes = SecureRandom.bytes(size)
    return (BlockID.of(bytes), bytes)
}

/// Settings with small limits so that tests exercise segment rolls quickly.
func smallSegments(_ maxSegmentSize: Int) -> BlockStoreSettings {
    var settings = BlockStoreSettings()
    settings.maxSegmentSize = maxSegmentSize
    return settings
}

/// The segment files of a data path, oldest first.
func segmentFiles(_ dataPath: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dataPath + "/segments")
        .filter { $0.hasSuffix(".seg") }.sorted().map { dataPath + "/segments/" + $0 }
}

func fileSize(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
}

func appendBytes(_ bytes: [UInt8], to path: String) throws {
    let handle = try #require(FileHandle(forWritingAtPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(bytes))
}

func truncateFile(_ path: String, to size: Int) throws {
    let handle = try #require(FileHandle(forWritingAtPath: path))
    defer { try? handle.close() }
    try handle.truncate(atOffset: UInt64(size))
}

/// XORs one byte of a file at `offset` with `mask`.
func flipByte(in path: String, at offset: Int, mask: UInt8 = 0x01) throws {
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(offset))
    let old = try #require(try handle.read(upToCount: 1)).first!
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: Data([old ^ mask]))
}

/// Size on disk of one entry written now (53-byte PSE3 header + payload); a segment starts with a 16-byte file header.
let segmentHeaderSize = 16
func entrySize(_ payload: Int) -> Int { EntryHeader.size + payload }

/// Runs `body` with a fresh data path, removed afterwards.
func withDataPath<T>(_ body: (String) async throws -> T) async throws -> T {
    let dir = try TemporaryDirectory(prefix: "blockstore-test")
    defer { dir.remove() }
    return try await body(dir.sub("data"))
}

import Testing
