import ChordRing
import Foundation
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// The file cache's encoding, its sealed file in the home, and the rule that says a file is unchanged.
struct FileCacheTests {
    static let settings = ChunkerSettings.default

    static func ref(_ seed: UInt8, length: Int) -> ChunkRef {
        ChunkRef(blockID: Identifier(bytes: [UInt8](repeating: seed, count: 32))!, key: [UInt8](repeating: seed &+ 1, count: 32), length: length)
    }

    static func info(size: UInt64, mtime: Int64, ctime: Int64, inode: UInt64 = 42) -> FileInfo {
        var st = stat()
        st.st_mode = S_IFREG | 0o644
        st.st_size = Int(size)
        st.st_mtim = timespec(tv_sec: Int(mtime), tv_nsec: 5)
        st.st_ctim = timespec(tv_sec: Int(ctime), tv_nsec: 7)
        st.st_ino = UInt(inode)
        st.st_dev = 9
        return FileInfo(st)
    }

    /// Three entries, one of each content kind, under paths that share prefixes (and one that is not ASCII).
    static func sample() -> [(LocalPath, FileCacheEntry)] {
        [
            ("/data/docs/empty", FileCacheEntry(info: info(size: 0, mtime: 100, ctime: 101), content: .none)),
            ("/data/docs/Überblick.txt", FileCacheEntry(info: info(size: 30, mtime: 200, ctime: 201, inode: 43),
                                                        content: .inline([ref(1, length: 10), ref(2, length: 20)]))),
            ("/data/big/random.bin", FileCacheEntry(info: info(size: 9 << 20, mtime: 300, ctime: 301, inode: 44),
                                                    content: .manifest(id: ref(3, length: 0).blockID, sessionKey: [UInt8](repeating: 9, count: 32)),
                                                    chunks: [ref(4, length: 5 << 20), ref(5, length: 4 << 20)])),
        ]
    }

    static func plaintext(started: Int64 = 1_000 * 1_000_000_000) -> [UInt8] {
        var writer = FileCacheWriter()
        for (path, entry) in sample() { writer.add(path: path, entry) }
        return writer.finish(device: "laptop", started: started, chunker: settings)
    }

    @Test func roundTripKeepsEveryEntry() throws {
        let cache = try FileCache(plaintext: Self.plaintext())
        #expect(cache.count == 3)
        #expect(cache.header.device == "laptop")
        #expect(cache.header.chunker == Self.settings)
        for (path, entry) in Self.sample() {
            #expect(cache.entry(path: path) == entry, "\(path)")
        }
        #expect(cache.entry(path: "/data/docs") == nil)
        #expect(Self.sample()[1].1.blockIDs == [Self.ref(1, length: 0).blockID, Self.ref(2, length: 0).blockID])
        #expect(Self.sample()[0].1.blockIDs.isEmpty)
    }

    @Test func everyTruncationIsRefused() throws {
        let plain = Self.plaintext()
        for n in 0..<plain.count {
            #expect(throws: BackupError.self, "\(n) bytes") { try FileCache(plaintext: Array(plain.prefix(n))) }
        }
        #expect(throws: BackupError.self) { try FileCache(plaintext: plain + [0]) }
        var otherVersion = plain
        otherVersion[4] = FileCacheHeader.version + 1
        #expect(throws: BackupError.self) { try FileCache(plaintext: otherVersion) }
    }

    @Test func unchangedNeedsEveryFieldAndAnOldEnoughMtime() throws {
        let started: Int64 = 1_000 * 1_000_000_000
        let cache = try FileCache(plaintext: Self.plaintext(started: started))
        let path: LocalPath = "/data/docs/Überblick.txt"
        #expect(cache.unchanged(path: path, info: Self.info(size: 30, mtime: 200, ctime: 201, inode: 43)) != nil)
        #expect(cache.unchanged(path: path, info: Self.info(size: 31, mtime: 200, ctime: 201, inode: 43)) == nil)
        #expect(cache.unchanged(path: path, info: Self.info(size: 30, mtime: 199, ctime: 201, inode: 43)) == nil)
        #expect(cache.unchanged(path: path, info: Self.info(size: 30, mtime: 200, ctime: 202, inode: 43)) == nil)
        #expect(cache.unchanged(path: path, info: Self.info(size: 30, mtime: 200, ctime: 201, inode: 44)) == nil)
        #expect(cache.unchanged(path: "/data/docs/other", info: Self.info(size: 30, mtime: 200, ctime: 201, inode: 43)) == nil)

        // Racy: an mtime within the margin before the previous backup's start (or after it) means: read again.
        var racy = FileCacheWriter()
        let recent = FileCacheEntry(info: Self.info(size: 0, mtime: 999, ctime: 999), content: .none)
        let old = FileCacheEntry(info: Self.info(size: 0, mtime: 998, ctime: 998), content: .none)
        racy.add(path: "/recent", recent)
        racy.add(path: "/old", old)
        let racyCache = try FileCache(plaintext: racy.finish(device: "d", started: started, chunker: Self.settings))
        #expect(racyCache.unchanged(path: "/recent", info: Self.info(size: 0, mtime: 999, ctime: 999)) == nil)
        #expect(racyCache.unchanged(path: "/old", info: Self.info(size: 0, mtime: 998, ctime: 998)) == old)
    }

    @Test func sealedFileRoundTripAndRefusals() throws {
        let tmp = try TemporaryDirectory(prefix: "filecache")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        let identity = try home.ensureInitialised().identity
        let store = FileCacheStore(home: home, device: "laptop", keys: identity.keys)

        let missing = store.load(chunker: Self.settings)
        #expect(missing.cache == nil && missing.notice == nil)

        try store.save(Self.plaintext())
        #expect(store.path == tmp.sub("home/cache/files-laptop"))
        let attrs = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        let sealed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: store.path)))
        #expect(!sealed.contains(subsequence: Array("Überblick".utf8)))
        let loaded = store.load(chunker: Self.settings)
        #expect(loaded.notice == nil)
        #expect(loaded.cache?.entry(path: "/data/big/random.bin") == Self.sample()[2].1)

        // Other chunk sizes, another device's name, another identity: not used, with a notice.
        let other = ChunkerSettings(minSize: 64 << 10, averageSize: 256 << 10, maxSize: 1 << 20)
        #expect(store.load(chunker: other).cache == nil)
        #expect(store.load(chunker: other).notice?.contains("chunk sizes") == true)
        #expect(FileCacheStore(home: home, device: "desktop", keys: identity.keys).load(chunker: Self.settings).cache == nil)
        try FileManager.default.copyItem(atPath: store.path, toPath: home.fileCachePath(device: "desktop"))
        let swapped = FileCacheStore(home: home, device: "desktop", keys: identity.keys).load(chunker: Self.settings)
        #expect(swapped.cache == nil && swapped.notice?.contains("device 'laptop'") == true, "\(swapped.notice ?? "")")
        let stranger = FileCacheStore(home: home, device: "laptop", keys: Identity.generate().keys).load(chunker: Self.settings)
        #expect(stranger.cache == nil && stranger.notice != nil)

        // A flipped byte anywhere, or a cut, and the file is not used.
        for i in [0, 1, 2, 30, sealed.count / 2, sealed.count - 1] {
            var bad = sealed
            bad[i] ^= 0x01
            try Data(bad).write(to: URL(fileURLWithPath: store.path))
            let r = store.load(chunker: Self.settings)
            #expect(r.cache == nil && r.notice != nil, "byte \(i)")
        }
        try Data(sealed.dropLast(1)).write(to: URL(fileURLWithPath: store.path))
        #expect(store.load(chunker: Self.settings).cache == nil)

        // A sealed plaintext of another format version: opens, but is refused by version.
        var newer = Self.plaintext()
        newer[4] = 9
        try store.save(newer)
        let r = store.load(chunker: Self.settings)
        #expect(r.cache == nil && r.notice?.contains("version 9") == true, "\(r.notice ?? "")")
    }

    /// The cache sealed straight from the writer (one allocation, encrypted in place) is byte for byte the sealed
    /// plaintext of earlier builds, and a cache saved either way loads (opened in place) with every entry.
    @Test func sealingFromTheWriterIsTheEarlierFormatAndLoads() throws {
        var writer = FileCacheWriter()
        for (path, entry) in Self.sample() { writer.add(path: path, entry) }
        let key = [UInt8](repeating: 3, count: 32)
        let nonce = [UInt8](repeating: 4, count: 24)
        let started: Int64 = 1_000 * 1_000_000_000
        let direct = try writer.sealed(device: "laptop", started: started, chunker: Self.settings, key: key, nonce: nonce)
        #expect(direct == (try SealedObject.seal(Self.plaintext(started: started), kind: .fileCache, key: key, nonce: nonce)))
        #expect(try SealedObject.open(direct, kind: .fileCache, key: key, what: "cache") == Self.plaintext(started: started))
        var flipped = direct
        flipped[flipped.count / 2] ^= 1
        #expect(throws: BackupError.self) {
            _ = try flipped.withUnsafeMutableBytes { try SealedObject.openInPlace($0, kind: .fileCache, key: key, what: "cache") }
        }
        #expect(!flipped.contains(subsequence: Array("Überblick".utf8)), "a failed open exposes no plaintext")

        let tmp = try TemporaryDirectory(prefix: "filecache-direct")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        let store = FileCacheStore(home: home, device: "laptop", keys: try home.ensureInitialised().identity.keys)
        for save in [{ try store.save(writer, started: started, chunker: Self.settings) }, { try store.save(Self.plaintext(started: started)) }] {
            try save()
            let loaded = try #require(store.load(chunker: Self.settings).cache)
            #expect(loaded.count == Self.sample().count)
            for (path, entry) in Self.sample() { #expect(loaded.entry(path: path) == entry) }
        }
    }

    @Test func deviceNamesMakeSafeFileNames() {
        let home = ClientHome(path: "/h")
        #expect(home.fileCachePath(device: "laptop") == "/h/cache/files-laptop")
        #expect(home.fileCachePath(device: "../x y") == "/h/cache/files-..%2Fx%20y")
        #expect(home.fileCachePath(device: String(repeating: "é", count: 200)).count < 100)
        #expect(home.fileCachePath(device: "a/b") != home.fileCachePath(device: "a%2Fb"))
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}
