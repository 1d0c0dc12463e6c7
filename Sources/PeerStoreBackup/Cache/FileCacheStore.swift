import Foundation
import Glibc
import NIOCore
import PeerStoreCrypto

/// Where a device's file cache lives (`<home>/cache/files-<device>`, 0600) and how it is sealed: the cache holds
/// manifest session keys, so it is a secret, sealed like every client structure (`SealedObject`, kind `fileCache`,
/// random nonce) under a key derived from the master key. A cache that is missing, does not open, or was made by
/// another version or for other chunk sizes is not used: that costs only time, never data.
public struct FileCacheStore: Sendable {
    /// A cache file above this size is not read (it would be ~7 million files).
    public static let maxFileSize = 1 << 30

    public let path: String
    public let device: String
    let home: ClientHome
    let key: [UInt8]

    public init(home: ClientHome, device: String, keys: KeyRing) {
        self.home = home
        self.device = device
        self.key = keys.fileCache
        self.path = home.fileCachePath(device: device)
    }

    /// The result of reading the cache: the cache, or nil; and a notice for the user when a cache file was there but
    /// could not be used.
    public struct Loaded: Sendable {
        public var cache: FileCache?
        public var notice: String?
    }

    /// Reads, opens and checks the cache for chunks cut with `chunker`. Never throws: a cache that cannot be used is
    /// reported in `notice` and the backup reads every file.
    public func load(chunker: ChunkerSettings) -> Loaded {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            return Loaded()  // no cache yet: nothing to say
        }
        func ignored(_ why: String) -> Loaded {
            Loaded(notice: "the file cache \(path) was not used (\(why)); every file is read this time and the cache is rewritten")
        }
        guard ((attributes[.size] as? NSNumber)?.intValue ?? 0) <= Self.maxFileSize else { return ignored("larger than \(Self.maxFileSize >> 20) MiB") }
        guard var bytes = Self.read(path) else { return ignored("cannot read it") }
        do {
            let plain = try bytes.withUnsafeMutableReadableBytes {
                try SealedObject.openInPlace($0, kind: .fileCache, key: key, what: "the file cache")
            }
            let cache = try FileCache(plaintext: bytes.getSlice(at: bytes.readerIndex + plain.lowerBound, length: plain.count)!)
            guard cache.header.device == device else { return ignored("it belongs to device '\(cache.header.device)'") }
            guard cache.header.chunker == chunker else { return ignored("it was made with other chunk sizes") }
            return Loaded(cache: cache)
        } catch let error as BackupError {
            return ignored(error.message)
        } catch {
            return ignored("\(error)")
        }
    }

    /// The whole file in one buffer, read straight into it (the cache is opened in place there and its records stay
    /// in it, so the file is in memory once); nil if it cannot be read.
    static func read(_ path: String) -> ByteBuffer? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size >= 0, st.st_size <= maxFileSize else { return nil }
        let size = Int(st.st_size)
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        var done = 0
        while done < size {
            var result = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { out in
                result = Glibc.read(fd, out.baseAddress, min(out.count, size - done))
                return max(result, 0)
            }
            if result < 0 && errno == EINTR { continue }
            if result <= 0 { break }  // an error, or the file got shorter: the size check below refuses it
            done += result
        }
        return buffer.readableBytes == size ? buffer : nil
    }

    /// Seals and writes what `writer` holds (see `FileCacheWriter.sealed`).
    public func save(_ writer: FileCacheWriter, started: Int64, chunker: ChunkerSettings) throws {
        try createFolder()
        try home.writeSecretFile(path, try writer.sealed(device: device, started: started, chunker: chunker, key: key,
                                                         nonce: SecureRandom.bytes(XChaCha20Poly1305.nonceLength)))
    }

    /// Seals `plaintext` (from `FileCacheWriter.finish`) and writes it through a temp file and a rename, mode 0600.
    public func save(_ plaintext: [UInt8]) throws {
        try createFolder()
        let sealed = try SealedObject.seal(plaintext, kind: .fileCache, key: key, nonce: SecureRandom.bytes(XChaCha20Poly1305.nonceLength))
        try home.writeSecretFile(path, sealed)
    }

    private func createFolder() throws {
        let folder = home.cachePath
        if !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw BackupError(.io, "cannot create \(folder): \(error.localizedDescription)")
            }
        }
    }
}
