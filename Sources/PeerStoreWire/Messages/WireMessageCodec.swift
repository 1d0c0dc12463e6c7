import ChordRing
import NIOCore
import PeerStoreModel

/// Encodes and decodes message payloads. Every length read is bounded before anything is allocated.
public enum WireMessageCodec {
    /// The most ids one have-blocks request may carry.
    public static let maxHaveBlocksBatch = 65_536
    public static let maxErrorMessageLength = 4096
    /// The most entries one inbox listing may carry (an inbox's caps keep it smaller, and its bytes within a frame).
    public static let maxInboxEntries = 1024

    public static func encode(_ message: WireMessage, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var out = allocator.buffer(capacity: 64)
        encode(message, into: &out)
        return out
    }

    /// Appends the payload of `message` to `out`.
    public static func encode(_ message: WireMessage, into out: inout ByteBuffer) {
        switch message {
        case .ping:
            break
        case .pong(let nodeID):
            out.writeBytes(nodeID.bytes)
        case .putBlock(let id, var bytes):
            out.reserveCapacity(32 + bytes.readableBytes)
            out.writeBytes(id.bytes)
            out.writeBuffer(&bytes)
        case .putBlockResult(let stored), .putRecordResult(let stored), .inboxPostResult(let stored), .inboxRemoveResult(let stored),
            .badBlockReportResult(let stored):
            out.writeInteger(UInt8(stored ? 1 : 0))
        case .getBlock(let id), .badBlockReport(let id):
            out.writeBytes(id.bytes)
        case .block(var bytes):
            out.writeBuffer(&bytes)
        case .haveBlocks(let ids):
            out.reserveCapacity(4 + 32 * ids.count)
            out.writeInteger(UInt32(ids.count))
            for id in ids { out.writeBytes(id.bytes) }
        case .rangeBlocks(let start, let end):
            out.writeBytes(start.bytes)
            out.writeBytes(end.bytes)
        case .rangeBlocksResult(let ids):
            out.writeInteger(UInt32(ids.count))
            for id in ids { out.writeBytes(id.bytes) }
        case .haveBlocksResult(let present):
            out.writeInteger(UInt32(present.count))
            for p in present { out.writeInteger(UInt8(p ? 1 : 0)) }
        case .putRecord(let record, let expectedSeq):
            if let expectedSeq {
                out.writeInteger(UInt8(1))
                out.writeInteger(expectedSeq)
            } else {
                out.writeInteger(UInt8(0))
            }
            record.encode(into: &out)
        case .getRecord(let key):
            out.writeBytes(key.bytes)
        case .recordResult(let record):
            if let record {
                out.writeInteger(UInt8(1))
                record.encode(into: &out)
            } else {
                out.writeInteger(UInt8(0))
            }
        case .inboxPost(let entry):
            entry.encode(into: &out)
        case .inboxList(let owner), .inboxIDs(let owner):
            out.writeBytes(owner)
        case .inboxIDsResult(let ids):
            out.writeInteger(UInt16(ids.count))
            for id in ids { out.writeBytes(id.bytes) }
        case .inboxEntries(let entries):
            out.writeInteger(UInt16(entries.count))
            for entry in entries { entry.encode(into: &out) }
        case .inboxRemove(let removal):
            removal.encode(into: &out)
        case .haveBlocksLeased(let grant), .leaseBlocks(let grant):
            grant.encode(into: &out)
        case .leaseBlocksResult(let present), .releaseBlocksResult(let present):
            out.writeInteger(UInt16(present.count))
            for p in present { out.writeInteger(UInt8(p ? 1 : 0)) }
        case .releaseBlocks(let release):
            release.encode(into: &out)
        case .deleteBlocksResult(let ended):
            out.writeInteger(ended)
        case .leaseState(let ids), .deleteBlocks(let ids), .tombstones(let ids), .recordSeqs(let ids):
            out.writeInteger(UInt16(ids.count))
            for id in ids { out.writeBytes(id.bytes) }
        case .recordSeqsResult(let seqs):
            out.writeInteger(UInt16(seqs.count))
            for seq in seqs {
                out.writeInteger(UInt8(seq == nil ? 0 : 1))
                out.writeInteger(seq ?? 0)
            }
        case .leaseStateResult(let live), .tombstonesResult(let live):
            out.writeInteger(UInt16(live.count))
            for p in live { out.writeInteger(UInt8(p ? 1 : 0)) }
        case .chord(let envelope):
            ChordCodec.encode(envelope, into: &out)
        case .chordReply(let envelope):
            if let envelope {
                out.writeInteger(UInt8(1))
                ChordCodec.encode(envelope, into: &out)
            } else {
                out.writeInteger(UInt8(0))
            }
        case .placedPut(let role, let put):
            out.writeInteger(role.rawValue)
            out.writeInteger(put.type.rawValue)
            encode(put, into: &out)
        case .status:
            break
        case .statusResult(let status):
            status.encode(into: &out)
        case .putBlocks(let puts):
            out.writeInteger(UInt16(puts.count))
            for put in puts {
                out.writeBytes(put.id.bytes)
                out.writeInteger(UInt32(put.bytes.readableBytes))
                out.writeImmutableBuffer(put.bytes)
            }
        case .putBlocksResult(let stored):
            out.writeInteger(UInt16(stored.count))
            for s in stored { out.writeInteger(UInt8(s ? 1 : 0)) }
        case .getBlocks(let ids):
            out.writeInteger(UInt16(ids.count))
            for id in ids { out.writeBytes(id.bytes) }
        case .blocks(let blocks):
            out.writeInteger(UInt16(blocks.count))
            for block in blocks {
                if let block {
                    out.writeInteger(UInt8(1))
                    out.writeInteger(UInt32(block.readableBytes))
                    out.writeImmutableBuffer(block)
                } else {
                    out.writeInteger(UInt8(0))
                }
            }
        case .error(let error):
            out.writeInteger(error.code.rawValue)
            let text = Array(error.message.utf8.prefix(maxErrorMessageLength))
            out.writeInteger(UInt16(text.count))
            out.writeBytes(text)
        }
    }

    public static func decode(type rawType: UInt8, payload: ByteBuffer) throws -> WireMessage {
        guard let type = MessageType(rawValue: rawType) else {
            throw WireError(.unknownMessageType, "unknown message type 0x\(String(rawType, radix: 16))")
        }
        var p = payload
        let message: WireMessage
        switch type {
        case .ping:
            message = .ping
        case .pong:
            message = .pong(nodeID: try readID(&p, type))
        case .putBlock:
            let id = try readID(&p, type)
            message = .putBlock(id: id, bytes: p.readSlice(length: p.readableBytes)!)
        case .putBlockResult:
            message = .putBlockResult(stored: try readFlag(&p, type))
        case .putRecordResult:
            message = .putRecordResult(stored: try readFlag(&p, type))
        case .getBlock:
            message = .getBlock(id: try readID(&p, type))
        case .block:
            message = .block(bytes: p.readSlice(length: p.readableBytes)!)
        case .haveBlocks:
            guard let count = p.readInteger(as: UInt32.self), Int(count) <= maxHaveBlocksBatch,
                p.readableBytes == Int(count) * 32
            else { throw malformed(type, "bad id count") }
            var ids = [Identifier]()
            ids.reserveCapacity(Int(count))
            for _ in 0..<count { ids.append(try readID(&p, type)) }
            message = .haveBlocks(ids: ids)
        case .rangeBlocks:
            message = .rangeBlocks(start: try readID(&p, type), end: try readID(&p, type))
        case .rangeBlocksResult:
            guard let count = p.readInteger(as: UInt32.self), Int(count) <= maxHaveBlocksBatch, p.readableBytes == Int(count) * 32
            else { throw malformed(type, "bad id count") }
            message = .rangeBlocksResult(ids: try (0..<count).map { _ in try readID(&p, type) })
        case .haveBlocksResult:
            guard let count = p.readInteger(as: UInt32.self), Int(count) <= maxHaveBlocksBatch,
                p.readableBytes == Int(count)
            else { throw malformed(type, "bad answer count") }
            message = .haveBlocksResult(present: p.readBytes(length: Int(count))!.map { $0 != 0 })
        case .putRecord:
            let hasExpected = try readFlag(&p, type)
            var expected: UInt64?
            if hasExpected {
                guard let seq = p.readInteger(as: UInt64.self) else { throw malformed(type, "truncated expected seq") }
                expected = seq
            }
            message = .putRecord(record: try readRecord(&p, type), expectedSeq: expected)
        case .getRecord:
            message = .getRecord(key: try readID(&p, type))
        case .recordResult:
            message = .recordResult(record: try readFlag(&p, type) ? try readRecord(&p, type) : nil)
        case .inboxPost:
            message = .inboxPost(entry: try readModel(&p, type) { try InboxEntry.decode(from: &$0) })
        case .inboxPostResult:
            message = .inboxPostResult(stored: try readFlag(&p, type))
        case .inboxList:
            guard let owner = p.readBytes(length: 32) else { throw malformed(type, "truncated owner key") }
            message = .inboxList(owner: owner)
        case .inboxIDs:
            guard let owner = p.readBytes(length: 32) else { throw malformed(type, "truncated owner key") }
            message = .inboxIDs(owner: owner)
        case .inboxIDsResult:
            guard let count = p.readInteger(as: UInt16.self), Int(count) <= maxInboxEntries, p.readableBytes == Int(count) * 32
            else { throw malformed(type, "bad id count") }
            message = .inboxIDsResult(ids: try (0..<count).map { _ in try readID(&p, type) })
        case .inboxEntries:
            guard let count = p.readInteger(as: UInt16.self), Int(count) <= maxInboxEntries else {
                throw malformed(type, "bad entry count")
            }
            message = .inboxEntries(try (0..<count).map { _ in try readModel(&p, type) { try InboxEntry.decode(from: &$0) } })
        case .inboxRemove:
            message = .inboxRemove(removal: try readModel(&p, type) { try InboxRemoval.decode(from: &$0) })
        case .inboxRemoveResult:
            message = .inboxRemoveResult(changed: try readFlag(&p, type))
        case .haveBlocksLeased:
            message = .haveBlocksLeased(grant: try readModel(&p, type) { try LeaseGrant.decode(from: &$0) })
        case .leaseBlocks:
            message = .leaseBlocks(grant: try readModel(&p, type) { try LeaseGrant.decode(from: &$0) })
        case .leaseBlocksResult, .releaseBlocksResult, .leaseStateResult, .tombstonesResult:
            guard let count = p.readInteger(as: UInt16.self), Int(count) <= LeaseGrant.maxIDs, p.readableBytes == Int(count)
            else { throw malformed(type, "bad answer count") }
            let flags = p.readBytes(length: Int(count))!.map { $0 != 0 }
            message = switch type {
            case .leaseBlocksResult: .leaseBlocksResult(present: flags)
            case .releaseBlocksResult: .releaseBlocksResult(held: flags)
            case .leaseStateResult: .leaseStateResult(live: flags)
            default: .tombstonesResult(deleted: flags)
            }
        case .leaseState, .deleteBlocks, .tombstones, .recordSeqs:
            guard let count = p.readInteger(as: UInt16.self), Int(count) <= LeaseGrant.maxIDs, p.readableBytes == Int(count) * 32
            else { throw malformed(type, "bad id count") }
            let ids = try (0..<count).map { _ in try readID(&p, type) }
            message = switch type {
            case .leaseState: .leaseState(ids: ids)
            case .deleteBlocks: .deleteBlocks(ids: ids)
            case .recordSeqs: .recordSeqs(keys: ids)
            default: .tombstones(ids: ids)
            }
        case .recordSeqsResult:
            guard let count = p.readInteger(as: UInt16.self), Int(count) <= LeaseGrant.maxIDs, p.readableBytes == Int(count) * 9
            else { throw malformed(type, "bad answer count") }
            message = .recordSeqsResult(seqs: try (0..<count).map { _ in
                let present = try readFlag(&p, type)
                let seq = p.readInteger(as: UInt64.self)!
                return present ? seq : nil
            })
        case .deleteBlocksResult:
            guard let deleted = p.readInteger(as: UInt32.self) else { throw malformed(type, "truncated count") }
            message = .deleteBlocksResult(deleted: deleted)
        case .releaseBlocks:
            message = .releaseBlocks(release: try readModel(&p, type) { try LeaseRelease.decode(from: &$0) })
        case .chord:
            message = .chord(try ChordCodec.decode(from: &p))
        case .chordReply:
            message = .chordReply(try readFlag(&p, type) ? try ChordCodec.decode(from: &p) : nil)
        case .placedPut:
            guard let rawRole = p.readInteger(as: UInt8.self), let role = PlacementRole(rawValue: rawRole),
                let innerType = p.readInteger(as: UInt8.self),
                let inner = MessageType(rawValue: innerType),
                role == .local ? placedReads.contains(inner) : placedPuts.contains(inner)
            else { throw malformed(type, "bad role or inner message") }
            message = .placedPut(role: role, put: try decode(type: innerType, payload: p.readSlice(length: p.readableBytes)!))
        case .status:
            message = .status
        case .badBlockReport:
            message = .badBlockReport(id: try readID(&p, type))
        case .badBlockReportResult:
            message = .badBlockReportResult(dropped: try readFlag(&p, type))
        case .statusResult:
            message = .statusResult(try NodeStatus.decode(from: &p))
        case .putBlocks:
            let count = try readBatchCount(&p, type)
            var puts = [BlockPut]()
            puts.reserveCapacity(count)
            for _ in 0..<count {
                let id = try readID(&p, type)
                puts.append(BlockPut(id: id, bytes: try readSizedSlice(&p, type)))
            }
            message = .putBlocks(puts)
        case .putBlocksResult:
            let count = try readBatchCount(&p, type)
            guard p.readableBytes == count else { throw malformed(type, "bad answer count") }
            message = .putBlocksResult(stored: p.readBytes(length: count)!.map { $0 != 0 })
        case .getBlocks:
            let count = try readBatchCount(&p, type)
            guard p.readableBytes == count * 32 else { throw malformed(type, "bad id count") }
            message = .getBlocks(ids: try (0..<count).map { _ in try readID(&p, type) })
        case .blocks:
            let count = try readBatchCount(&p, type)
            var blocks = [ByteBuffer?]()
            blocks.reserveCapacity(count)
            for _ in 0..<count { blocks.append(try readFlag(&p, type) ? try readSizedSlice(&p, type) : nil) }
            message = .blocks(blocks)
        case .error:
            guard let rawCode = p.readInteger(as: UInt16.self), let length = p.readInteger(as: UInt16.self),
                Int(length) <= maxErrorMessageLength, let text = p.readString(length: Int(length))
            else { throw malformed(type, "truncated error") }
            message = .error(WireError(WireError.Code(rawValue: rawCode) ?? .internalError, text))
        }
        guard p.readableBytes == 0 else { throw malformed(type, "\(p.readableBytes) trailing bytes") }
        return message
    }

    /// The bytes an inbox listing may fill: a frame less room for its header and count.
    public static let maxInboxListingBytes = Frame.defaultMaxSize - 4096

    /// The longest prefix of `entries` that one listing may carry (count and bytes).
    public static func fittingListing(_ entries: [InboxEntry]) -> [InboxEntry] {
        var total = 0
        var count = 0
        for entry in entries.prefix(maxInboxEntries) {
            total += entry.encodedLength
            if total > maxInboxListingBytes { break }
            count += 1
        }
        return Array(entries.prefix(count))
    }

    /// What a placed request may carry: puts (as owner or replica) and reads (answered locally).
    static let placedPuts: Set<MessageType> = [.putBlock, .putBlocks, .putRecord, .inboxPost, .inboxRemove, .leaseBlocks, .releaseBlocks]
    static let placedReads: Set<MessageType> = [.getBlock, .getRecord, .inboxList]

    private static func readModel<T>(_ p: inout ByteBuffer, _ type: MessageType, _ read: (inout ByteBuffer) throws -> T) throws -> T {
        do {
            return try read(&p)
        } catch {
            throw malformed(type, "\(error)")
        }
    }

    private static func malformed(_ type: MessageType, _ why: String) -> WireError {
        WireError(.malformedMessage, "malformed \(type) message: \(why)")
    }

    private static func readID(_ p: inout ByteBuffer, _ type: MessageType) throws -> Identifier {
        guard let bytes = p.readBytes(length: 32) else { throw malformed(type, "truncated id") }
        return Identifier(bytes: bytes)!
    }

    private static func readBatchCount(_ p: inout ByteBuffer, _ type: MessageType) throws -> Int {
        guard let count = p.readInteger(as: UInt16.self), Int(count) <= BlockBatch.maxBlocks else {
            throw malformed(type, "bad block count")
        }
        return Int(count)
    }

    /// A length (u32) and that many bytes, as a slice of the frame.
    private static func readSizedSlice(_ p: inout ByteBuffer, _ type: MessageType) throws -> ByteBuffer {
        guard let length = p.readInteger(as: UInt32.self), let slice = p.readSlice(length: Int(length)) else {
            throw malformed(type, "truncated block")
        }
        return slice
    }

    private static func readFlag(_ p: inout ByteBuffer, _ type: MessageType) throws -> Bool {
        guard let flag = p.readInteger(as: UInt8.self), flag <= 1 else { throw malformed(type, "bad flag") }
        return flag == 1
    }

    private static func readRecord(_ p: inout ByteBuffer, _ type: MessageType) throws -> SignedRecord {
        do {
            return try SignedRecord.decode(from: &p)
        } catch {
            throw malformed(type, "\(error)")
        }
    }
}
