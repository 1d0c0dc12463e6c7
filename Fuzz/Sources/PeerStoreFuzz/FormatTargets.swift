import PeerStoreBackup

/// The plaintext codecs of the sealed client formats (what `SealedObject.open` returns is what they decode; random
/// bytes never authenticate, so the fuzzer feeds the opened bytes directly). What decodes must re-encode to bytes
/// that decode to the same value.
enum FormatTargets {
    static func manifest(_ data: [UInt8]) {
        guard let value = try? FileManifest.decode(data) else { return }
        require((try? FileManifest.decode(value.encoded())) == value, "manifest: the re-encoding decodes differently")
    }

    static func tree(_ data: [UInt8]) {
        guard let value = try? Tree.decode(data) else { return }
        require((try? Tree.decode(value.encoded())) == value, "tree: the re-encoding decodes differently")
    }

    static func snapshot(_ data: [UInt8]) {
        guard let value = try? Snapshot.decode(data) else { return }
        require((try? Snapshot.decode(value.encoded())) == value, "snapshot: the re-encoding decodes differently")
    }

    static func head(_ data: [UInt8]) {
        guard let value = try? HeadPointer.decode(data) else { return }
        require((try? HeadPointer.decode(value.encoded())) == value, "head: the re-encoding decodes differently")
    }

    static func snapshotIndex(_ data: [UInt8]) {
        guard let value = try? SnapshotIndexCodec.decode(data) else { return }
        require((try? SnapshotIndexCodec.decode(SnapshotIndexCodec.encode(value))) == value,
                "snapshot index: the re-encoding decodes differently")
    }

    static func syncHead(_ data: [UInt8]) {
        guard let value = try? SyncHead.decode(data) else { return }
        require((try? SyncHead.decode(value.encoded())) == value, "sync head: the re-encoding decodes differently")
    }

    static func folderState(_ data: [UInt8]) {
        guard let value = try? FolderStateCodec.decode(data) else { return }
        require((try? FolderStateCodec.decode(FolderStateCodec.encode(value))) == value,
                "folder state: the re-encoding decodes differently")
    }

    /// The whole cache plaintext is checked when it is read; a lookup then decodes one entry lazily.
    static func fileCache(_ data: [UInt8]) {
        guard let cache = try? FileCache(plaintext: data) else { return }
        for path in cache.paths { _ = cache.entry(path: path) }
    }
}
