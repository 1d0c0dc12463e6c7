import ChordRing
import NIOCore
import PeerStoreWire
import Testing

/// The batched block messages' bounds: counts past `BlockBatch.maxBlocks` and lengths past the payload are refused
/// before anything is allocated; a batched put's deadline counts every block it carries.
@Suite struct BlockBatchCodecTests {
    func decode(_ type: MessageType, _ build: (inout ByteBuffer) -> Void) throws -> WireMessage {
        var payload = ByteBuffer()
        build(&payload)
        return try WireMessageCodec.decode(type: type.rawValue, payload: payload)
    }

    func isMalformed(_ type: MessageType, _ build: (inout ByteBuffer) -> Void) -> Bool {
        do {
            _ = try decode(type, build)
            return false
        } catch let error as WireError {
            return error.code == .malformedMessage
        } catch {
            return false
        }
    }

    @Test func countsPastTheBoundAndLengthsPastThePayloadAreRefused() throws {
        let tooMany = UInt16(BlockBatch.maxBlocks + 1)
        for type in [MessageType.putBlocks, .putBlocksResult, .getBlocks, .blocks] {
            #expect(isMalformed(type) { $0.writeInteger(tooMany) }, "\(type)")
        }
        #expect(isMalformed(.putBlocks) { p in
            p.writeInteger(UInt16(1))
            p.writeBytes([UInt8](repeating: 1, count: 32))
            p.writeInteger(UInt32.max)  // a length far past the payload
            p.writeBytes([1, 2, 3])
        })
        #expect(isMalformed(.blocks) { p in
            p.writeInteger(UInt16(1))
            p.writeInteger(UInt8(2))  // neither absent nor present
        })
        // At the bound itself a get-blocks decodes.
        let ids = (0..<BlockBatch.maxBlocks).map { Identifier(bytes: [UInt8](repeating: UInt8($0 & 0xFF), count: 32))! }
        #expect(try decode(.getBlocks) { p in
            p.writeInteger(UInt16(ids.count))
            for id in ids { p.writeBytes(id.bytes) }
        } == .getBlocks(ids: ids))
    }

    @Test func aBatchedPutsDeadlineCountsEveryBlock() {
        let mib = ByteBuffer(repeating: 7, count: 1 << 20)
        let id = Identifier(bytes: [UInt8](repeating: 1, count: 32))!
        let deadline = RequestDeadline(base: .seconds(1), perMiB: .seconds(1))
        #expect(deadline.timeout(for: .putBlocks([BlockPut(id: id, bytes: mib), BlockPut(id: id, bytes: mib)])) == .seconds(3))
        #expect(deadline.timeout(for: .placedPut(role: .owner, put: .putBlocks([BlockPut(id: id, bytes: mib)]))) == .seconds(2))
    }
}
