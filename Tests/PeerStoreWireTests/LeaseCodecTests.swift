import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreWire
import Testing

/// The lease messages of wire v1 beyond the shared round-trip, truncation and fuzz tests: pinned tags, bounds,
/// signatures, placement.
@Suite struct LeaseCodecTests {
    func decode(_ type: MessageType, _ payload: ByteBuffer) throws -> WireMessage {
        try WireMessageCodec.decode(type: type.rawValue, payload: payload)
    }

    @Test func tagsAndTheErrorCodeArePinned() {
        #expect(MessageType.leaseBlocks.rawValue == 0x2C)
        #expect(MessageType.leaseBlocksResult.rawValue == 0x2D)
        #expect(MessageType.releaseBlocks.rawValue == 0x2E)
        #expect(MessageType.releaseBlocksResult.rawValue == 0x2F)
        #expect(MessageType.haveBlocksLeased.rawValue == 0x33)
        #expect(MessageType.leaseState.rawValue == 0x34)
        #expect(MessageType.leaseStateResult.rawValue == 0x35)
        #expect(MessageType.deleteBlocks.rawValue == 0x36)
        #expect(MessageType.deleteBlocksResult.rawValue == 0x37)
        #expect(MessageType.tombstones.rawValue == 0x38)
        #expect(MessageType.tombstonesResult.rawValue == 0x39)
        // The old have-blocks is unchanged: older clients keep sending it.
        #expect(MessageType.haveBlocks.rawValue == 0x14)
        #expect(WireError.Code.badLease.rawValue == 25)
        #expect(WireError(.badLease, "").isAnswer)
        #expect(WireError(ModelError(.badLease, "bad")) == WireError(.badLease, "bad"))
    }

    @Test func aGrantAndAReleaseSurviveTheWireWithValidSignatures() throws {
        let grant = WireFixtures.leaseGrant()
        guard case .haveBlocksLeased(let back) = try decode(.haveBlocksLeased, WireMessageCodec.encode(.haveBlocksLeased(grant: grant)))
        else {
            Issue.record("wrong case")
            return
        }
        #expect(back == grant && back.hasValidSignature)
        let release = WireFixtures.leaseRelease()
        guard case .releaseBlocks(let backRelease) = try decode(.releaseBlocks, WireMessageCodec.encode(.releaseBlocks(release: release)))
        else {
            Issue.record("wrong case")
            return
        }
        #expect(backRelease == release && backRelease.hasValidSignature)
    }

    @Test func aHaveBlocksLeasedPayloadIsTheGrantByteForByte() {
        let grant = WireFixtures.leaseGrant()
        #expect(Array(WireMessageCodec.encode(.haveBlocksLeased(grant: grant)).readableBytesView) == grant.encoded())
        #expect(Array(WireMessageCodec.encode(.leaseBlocks(grant: grant)).readableBytesView) == grant.encoded())
    }

    @Test func idCountsOverTheBoundAreRejectedBeforeAllocating() {
        for type in [MessageType.leaseBlocks, .haveBlocksLeased] {
            for count in [UInt16(0), UInt16(LeaseGrant.maxIDs + 1), .max] {
                var payload = ByteBuffer()
                payload.writeInteger(UInt8(1))
                payload.writeBytes(WireFixtures.keys.publicKey)
                payload.writeInteger(UInt64(1))
                payload.writeInteger(UInt64(2))
                payload.writeInteger(count)
                expectWireError(.malformedMessage, "\(type) \(count)") { _ = try decode(type, payload) }
            }
        }
        var release = ByteBuffer()
        release.writeInteger(UInt8(1))
        release.writeBytes(WireFixtures.keys.publicKey)
        release.writeInteger(UInt64(1))
        release.writeInteger(UInt16(LeaseRelease.maxIDs + 1))
        expectWireError(.malformedMessage) { _ = try decode(.releaseBlocks, release) }
        var answer = ByteBuffer()
        answer.writeInteger(UInt16(LeaseGrant.maxIDs + 1))
        answer.writeBytes([UInt8](repeating: 1, count: LeaseGrant.maxIDs + 1))
        expectWireError(.malformedMessage) { _ = try decode(.leaseBlocksResult, answer) }
    }

    @Test func placedLeaseRequestsArePutsNeverReads() {
        let wrong: [(PlacementRole, WireMessage)] = [
            (.local, .leaseBlocks(grant: WireFixtures.leaseGrant())),
            (.local, .releaseBlocks(release: WireFixtures.leaseRelease())),
            (.owner, .haveBlocksLeased(grant: WireFixtures.leaseGrant())),
            (.replica, .leaseBlocksResult(present: [true])),
        ]
        for (role, inner) in wrong {
            var payload = ByteBuffer()
            payload.writeInteger(role.rawValue)
            payload.writeInteger(inner.type.rawValue)
            var body = WireMessageCodec.encode(inner)
            payload.writeBuffer(&body)
            expectWireError(.malformedMessage, "\(role) \(inner.type)") { _ = try decode(.placedPut, payload) }
        }
    }
}
