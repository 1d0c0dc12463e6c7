import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreWire
import Testing

/// The inbox messages of wire v1 beyond the shared round-trip, truncation and fuzz tests: bounds, signatures, placement.
@Suite struct InboxCodecTests {
    func decode(_ type: MessageType, _ payload: ByteBuffer) throws -> WireMessage {
        try WireMessageCodec.decode(type: type.rawValue, payload: payload)
    }

    @Test func anEntrySurvivesTheWireWithAValidSignature() throws {
        let entry = WireFixtures.inboxEntry()
        guard case .inboxPost(let decoded) = try decode(.inboxPost, WireMessageCodec.encode(.inboxPost(entry: entry))) else {
            Issue.record("wrong case")
            return
        }
        #expect(decoded.hasValidSignature)
        #expect(decoded.id == entry.id)
    }

    @Test func aListingCountOverTheLimitIsRejectedBeforeAllocating() {
        for count in [UInt16(WireMessageCodec.maxInboxEntries + 1), .max] {
            var payload = ByteBuffer()
            payload.writeInteger(count)
            expectWireError(.malformedMessage) { _ = try decode(.inboxEntries, payload) }
        }
    }

    @Test func anIDListOverTheLimitIsRejected() {
        var payload = ByteBuffer()
        payload.writeInteger(UInt16(WireMessageCodec.maxInboxEntries + 1))
        payload.writeBytes([UInt8](repeating: 0, count: 32 * (WireMessageCodec.maxInboxEntries + 1)))
        expectWireError(.malformedMessage) { _ = try decode(.inboxIDsResult, payload) }
    }

    @Test func anOversizedSealedPartIsRejected() {
        var payload = ByteBuffer()
        WireFixtures.inboxEntry().encode(into: &payload)
        payload.setInteger(UInt16(InboxEntry.maxSealedLength + 1), at: 1 + 32 + 32 + 8)
        expectWireError(.malformedMessage) { _ = try decode(.inboxPost, payload) }
    }

    @Test func aRemovalWithTooManyOrNoIDsIsRejected() {
        for count in [UInt16(0), UInt16(InboxRemoval.maxIDs + 1)] {
            var payload = ByteBuffer()
            payload.writeInteger(UInt8(1))
            payload.writeBytes(WireFixtures.inboxOwner.publicKey)
            payload.writeInteger(count)
            expectWireError(.malformedMessage) { _ = try decode(.inboxRemove, payload) }
        }
    }

    @Test func anInboxListMustNameAWholeKey() {
        expectWireError(.malformedMessage) { _ = try decode(.inboxList, ByteBuffer(bytes: [1, 2, 3])) }
        expectWireError(.malformedMessage) { _ = try decode(.inboxList, ByteBuffer(bytes: [UInt8](repeating: 1, count: 33))) }
    }

    @Test func placedInboxRequestsKeepTheirRoles() {
        // A listing is a read (local only); a post or removal is a put (owner or replica), never the other way round.
        let wrong: [(PlacementRole, WireMessage)] = [
            (.local, .inboxPost(entry: WireFixtures.inboxEntry())),
            (.local, .inboxRemove(removal: WireFixtures.inboxRemoval())),
            (.owner, .inboxList(owner: WireFixtures.inboxOwner.publicKey)),
            (.replica, .inboxEntries([])),
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

    @Test func aFullInboxFitsOneFrame() {
        let limits = InboxLimits.standard
        let worst = min(limits.entriesPerInbox * InboxEntry.maxEncodedLength, limits.bytesPerInbox)
        #expect(worst + 2 + Frame.headerSize <= Frame.defaultMaxSize)
        #expect(limits.entriesPerInbox <= WireMessageCodec.maxInboxEntries)
        // And a listing is cut to a frame whatever a node holds.
        let big = WireFixtures.inboxEntry([UInt8](repeating: 1, count: InboxEntry.maxSealedLength))
        let cut = WireMessageCodec.fittingListing([InboxEntry](repeating: big, count: 1024))
        #expect(cut.count < 1024 && cut.count * big.encodedLength <= WireMessageCodec.maxInboxListingBytes)
    }

    @Test func newErrorCodesArePinnedAndAreAnswers() {
        #expect(WireError.Code.inboxFull.rawValue == 22)
        #expect(WireError.Code.badInboxEntry.rawValue == 23)
        #expect(WireError.Code.inboxEntryRemoved.rawValue == 24)
        for code in [WireError.Code.inboxFull, .badInboxEntry, .inboxEntryRemoved] { #expect(WireError(code, "").isAnswer) }
        #expect(WireError(ModelError(.inboxFull, "full")) == WireError(.inboxFull, "full"))
        #expect(WireError(ModelError(.badInboxRemoval, "x")).code == .badInboxEntry)
    }
}
