import BlockStore
import ChordRing
import Foundation
import NIOCore
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreWire

/// Writes the seed corpus (`PEERSTORE_FUZZ_WRITE_SEEDS=DIR`): a few small encodings of real values per target, in
/// DIR/TARGET/seed-N. Fixed keys and values, so that the corpus in Fuzz/corpus is made again the same.
enum SeedWriter {
    static func writeAll(into folder: String) throws {
        for (target, seeds) in try allSeeds() {
            let dir = folder + "/" + target
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (i, seed) in seeds.enumerated() {
                try Data(seed).write(to: URL(fileURLWithPath: dir + "/seed-\(i + 1)"))
            }
        }
    }

    static let id1 = BlockID.of(Array("one".utf8))
    static let id2 = BlockID.of(Array("two".utf8))
    static let owner = try! SigningKeyPair(seed: [UInt8](repeating: 5, count: 32))
    static let ref = ChunkRef(blockID: id1, key: [UInt8](repeating: 1, count: 32), length: 1000)

    static func allSeeds() throws -> [(String, [[UInt8]])] {
        let record = try SignedRecord(signing: Array("value".utf8), salt: Array("salt".utf8), seq: 3, with: owner)
        let entry = try InboxEntry(owner: ShareTargets.recipient.signing.publicKey, sealed: [1, 2, 3, 4], posted: 1_700_000_000, signingWith: owner)
        let messages: [WireMessage] = [
            .ping, .pong(nodeID: id1), .getBlock(id: id1), .putBlock(id: id1, bytes: ByteBuffer(bytes: Array("one".utf8))),
            .haveBlocks(ids: [id1, id2]), .haveBlocksResult(present: [true, false]), .putRecord(record: record, expectedSeq: 2),
            .recordResult(record: record), .inboxPost(entry: entry), .inboxEntries([entry]), .rangeBlocks(start: id1, end: id2),
            .error(WireError(.malformedFrame, "bad")), .status,
        ]
        let wire = messages.map { [$0.type.rawValue] + Array(WireMessageCodec.encode($0).readableBytesView) }
        let frames = messages.prefix(6).enumerated().map { i, message in
            [0] + Array(framed(message, requestID: UInt64(i)).readableBytesView)
        }
        let file = TreeEntry(name: "a.txt", kind: .file, mode: 0o644, mtime: Timestamp(seconds: 1_700_000_000, nanoseconds: 5),
                             size: 1000, content: .inline([ref]))
        let big = TreeEntry(name: "big.bin", kind: .file, mode: 0o600, mtime: Timestamp(seconds: 1, nanoseconds: 0),
                            size: 1 << 30, content: .manifest(id: id2, sessionKey: [UInt8](repeating: 2, count: 32)))
        let dir = TreeEntry(name: "sub", kind: .directory, mode: 0o755, mtime: Timestamp(seconds: 2, nanoseconds: 0), size: 0,
                            content: .subtree(id1))
        let link = TreeEntry(name: "l", kind: .symlink, mode: 0o777, mtime: Timestamp(seconds: 3, nanoseconds: 0), size: 5,
                             content: .linkTarget("a.txt"))
        let snapshot = Snapshot(time: 1_700_000_000_000_000_000, device: "laptop", hostname: "host", rootPath: "/home/u",
                                rootTree: id1, parent: id2, files: 10, directories: 2, bytes: 12345)
        var cache = FileCacheWriter()
        cache.add(path: "/home/u/a.txt", FileCacheEntry(size: 1000, mtime: Timestamp(seconds: 1, nanoseconds: 2),
                                                        ctime: Timestamp(seconds: 1, nanoseconds: 2), inode: 7, device: 1,
                                                        content: .inline([ref])))
        cache.add(path: "/home/u/b.bin", FileCacheEntry(size: 1 << 30, mtime: Timestamp(seconds: 3, nanoseconds: 0),
                                                        ctime: Timestamp(seconds: 3, nanoseconds: 0), inode: 8, device: 1,
                                                        content: big.content, manifestChunks: [id1]))
        let meta = FileMeta(kind: .file, content: .inline([ref]), size: 1000, mode: 0o644, mtime: Timestamp(seconds: 1, nanoseconds: 0))
        let folder = FolderState(records: [
            SyncPath("a.txt"): FileRecord(meta: meta, version: VersionVector([[1, 2]: 3]), modifiedBy: [1, 2]),
            SyncPath("d/b.txt"): FileRecord(meta: meta, deleted: true, version: VersionVector([[1, 2]: 1, [3]: 2]), modifiedBy: [3]),
        ])
        let grant = ShareGrant(shareID: [UInt8](repeating: 6, count: 16), version: 1, sender: owner.publicKey,
                               recipient: ShareTargets.recipient.signing.publicKey, time: 1_700_000_000, name: "report.pdf",
                               size: 1000, mode: 0o644, mtime: Timestamp(seconds: 1, nanoseconds: 0), message: "for you",
                               content: .inline([ref]))
        let signed = try grant.signed(by: owner)
        let sealedShare = try SealedShare.seal(grant, signer: owner)
        return [
            ("frame", frames + [[3] + frames[1].dropFirst() + frames[2].dropFirst()]),
            ("handshake", [[0, 0] + [UInt8](repeating: 0, count: 64), [1, 16] + [UInt8](repeating: 0, count: 112)]
                + frames.prefix(4).map { [2, 0] + $0.dropFirst() }),
            ("wire", wire),
            ("chunk", [try ChunkTarget.seed([]), try ChunkTarget.seed(Array("hello".utf8)),
                       try ChunkTarget.seed([UInt8](repeating: 65, count: 300))]),
            ("manifest", [FileManifest(size: 2000, chunks: [ref, ref]).encoded(), FileManifest(size: 0, chunks: []).encoded()]),
            ("tree", [Tree(entries: [file, big, dir, link]).encoded(), Tree(entries: []).encoded()]),
            ("snapshot", [snapshot.encoded()]),
            ("head", [HeadPointer(snapshot: id1, time: 5).encoded(), HeadPointer(snapshot: id1, time: 5, index: [id2]).encoded()]),
            ("snapshot-index", [SnapshotIndexCodec.encode(SnapshotIndex(retained: [.init(id: id1, time: 2)], forgotten: [.init(id: id2, time: 1)]))]),
            ("file-cache", [cache.finish(device: "laptop", started: 5, chunker: ChunkerSettings())]),
            ("sync-head", [SyncHead(snapshot: id1, time: 5, pieces: [id2]).encoded()]),
            ("folder-state", [FolderStateCodec.encode(folder), FolderStateCodec.encode(FolderState())]),
            ("share-token", [[0] + Array(ShareToken.encode(sealedShare).utf8), [1] + sealedShare, [2] + signed]),
            ("inbox-entry", [[0] + entry.encoded(), [1] + signed, [2] + signed, [3] + sealedShare]),
            ("segment", [[0] + segment(record: record, entry: entry), [5] + segment(record: record, entry: entry)]),
        ]
    }

    static func framed(_ message: WireMessage, requestID: UInt64) -> ByteBuffer {
        let payload = WireMessageCodec.encode(message)
        var out = ByteBuffer()
        out.writeInteger(UInt32(9 + payload.readableBytes))
        out.writeInteger(message.type.rawValue)
        out.writeInteger(requestID)
        out.writeImmutableBuffer(payload)
        return out
    }

    /// Entries after the segment file header (the target adds it): a block, a record and an inbox entry.
    static func segment(record: SignedRecord, entry: InboxEntry) -> [UInt8] {
        let block = Array("a block".utf8)
        let rec = record.encoded()
        let inbox = entry.encoded()
        // A PSE1 entry (as older builds wrote) beside PSE2 ones.
        return EntryHeader(kind: .block, length: UInt32(block.count), key: BlockID.of(block), payloadChecksum: nil).encoded()
            + block
            + EntryHeader(kind: .record, key: record.key, payload: rec).encoded() + rec
            + EntryHeader(kind: .inboxEntry, key: entry.inboxKey, payload: inbox).encoded() + inbox
    }
}
