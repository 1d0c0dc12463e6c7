import ChordRing
import Foundation
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// File cache version 2 lists a manifest's chunk ids (a no-change backup confirms and leases them without fetching
/// the manifest); a version 1 cache, written by older builds, still reads, and its manifests' chunks are learned once.
@Suite struct FileCacheVersionTests {
    /// `entries` as a version 1 build wrote them: version byte 1, no chunk list after a manifest. The one manifest
    /// entry must come last (its version 2 record ends with an empty chunk list, which is cut off).
    static func version1(_ entries: [(LocalPath, FileCacheEntry)], device: String = "laptop", started: Int64 = 1_000 * 1_000_000_000,
                         chunker: ChunkerSettings = .default) -> [UInt8] {
        var writer = FileCacheWriter()
        for (path, var entry) in entries {
            if case .manifest = entry.content { entry.manifestChunks = [] }
            writer.add(path: path, entry)
        }
        var bytes = writer.finish(device: device, started: started, chunker: chunker)
        bytes[4] = 1
        if case .manifest = entries.last?.1.content { bytes.removeLast(4) }
        return bytes
    }

    @Test func version2KeepsAManifestsChunks() throws {
        let cache = try FileCache(plaintext: FileCacheTests.plaintext())
        #expect(cache.header.formatVersion == 2)
        let big = try #require(cache.entry(path: "/data/big/random.bin"))
        #expect(big.manifestChunks == [FileCacheTests.ref(4, length: 0).blockID, FileCacheTests.ref(5, length: 0).blockID])
        #expect(big.blockIDs == [FileCacheTests.ref(3, length: 0).blockID] + big.manifestChunks!)
    }

    @Test func anUnknownChunkListStaysUnknown() throws {
        var (path, entry) = FileCacheTests.sample()[2]
        entry.manifestChunks = nil
        var writer = FileCacheWriter()
        writer.add(path: path, entry)
        let cache = try FileCache(plaintext: writer.finish(device: "d", started: 0, chunker: .default))
        #expect(cache.entry(path: path)?.manifestChunks == nil, "not read back as a known empty list")
    }

    @Test func aVersion1CacheStillReads() throws {
        let sample = FileCacheTests.sample()
        let cache = try FileCache(plaintext: Self.version1(sample))
        #expect(cache.header.formatVersion == 1 && cache.count == 3)
        for (path, entry) in sample {
            var expected = entry
            if case .manifest = entry.content { expected.manifestChunks = nil }
            #expect(cache.entry(path: path) == expected, "\(path)")
        }
    }

    /// The cache check over a version 1 cache fetches each manifest, learns (and so confirms and leases) its chunks,
    /// and drops an entry whose chunk is gone, so that file is read again.
    @Test func aVersion1CacheLearnsItsManifestsChunks() async throws {
        let client = try InMemoryClient(prefix: "cache-v1")
        defer { client.tmp.remove() }
        try FileManager.default.createDirectory(atPath: client.src, withIntermediateDirectories: true)
        var random = SeededRandom(seed: 3)
        try Data(random.bytes(5 << 20)).write(to: URL(fileURLWithPath: client.src + "/big.bin"))
        _ = try await client.backup()
        let store = FileCacheStore(home: client.home, device: client.device, keys: client.identity.keys)
        let cache = try #require(store.load(chunker: .default).cache)
        let path = try #require(cache.paths.first)
        let entry = try #require(cache.entry(path: path))
        let chunks = try #require(entry.manifestChunks)
        #expect(chunks.count >= 2)
        let v1 = Self.version1([(path, entry)], device: cache.header.device, started: cache.header.started, chunker: cache.header.chunker)

        var old = try FileCache(plaintext: v1)
        #expect(old.entry(path: path)?.manifestChunks == nil)
        let leasing = BlockLeasing.standard(client.ring, client.identity)
        await client.ring.advance(seconds: 60)
        #expect(try await CachedBlockCheck.dropMissing(from: &old, client: client.ring, leasing: leasing) == 0)
        #expect(old.entry(path: path)?.manifestChunks == chunks)
        let now = await client.ring.now
        for id in chunks { #expect(await client.ring.leases(of: id)?.leases.first?.renewedAt == now) }

        await client.ring.hide(chunks[1])
        var again = try FileCache(plaintext: v1)
        #expect(try await CachedBlockCheck.dropMissing(from: &again, client: client.ring) == 1)
        #expect(again.entry(path: path) == nil)
    }
}
