import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import Testing

/// Inbox entries and removals: signing, encoding, and decoding that bounds every length.
@Suite struct InboxFormatTests {
    let owner = SigningKeyPair()
    let poster = SigningKeyPair()

    @Test func entryRoundTripsAndIsSigned() throws {
        let entry = try InboxEntry(owner: owner.publicKey, sealed: Array("sealed share".utf8), posted: 1_700_000_000, signingWith: poster)
        #expect(entry.poster == poster.publicKey)
        #expect(entry.hasValidSignature)
        #expect(entry.encodedLength == entry.encoded().count)
        let decoded = try InboxEntry.decode(entry.encoded())
        #expect(decoded == entry)
        #expect(decoded.id == entry.id)
        #expect(entry.id == BlockID.of(entry.encoded()))
        #expect(entry.inboxKey == InboxKey.of(owner: owner.publicKey))
        #expect(entry.encoded()[0] == 1)
    }

    @Test func inboxKeyIsTheContextHashOfTheOwner() {
        let expected = Identifier(bytes: Blake2b.hash(Array("peerstore-inbox-v1".utf8) + owner.publicKey, outputLength: 32))!
        #expect(InboxKey.of(owner: owner.publicKey) == expected)
        #expect(InboxKey.of(owner: owner.publicKey) != InboxKey.of(owner: poster.publicKey))
    }

    @Test func tamperedEntriesFailTheirSignature() throws {
        let entry = try InboxEntry(owner: owner.publicKey, sealed: [1, 2, 3], posted: 5, signingWith: poster)
        var tampered = [entry, entry, entry, entry, entry]
        tampered[0].sealed[0] ^= 1
        tampered[1].posted = 6
        tampered[2].owner = poster.publicKey
        tampered[3].poster = owner.publicKey
        tampered[4].signature[3] ^= 0x40
        for bad in tampered { #expect(!bad.hasValidSignature) }
    }

    @Test func entrySizeIsBounded() throws {
        _ = try InboxEntry(owner: owner.publicKey, sealed: [UInt8](repeating: 7, count: InboxEntry.maxSealedLength), posted: 0,
                           signingWith: poster)
        #expect(throws: ModelError.self) {
            try InboxEntry(owner: owner.publicKey, sealed: [UInt8](repeating: 7, count: InboxEntry.maxSealedLength + 1), posted: 0,
                           signingWith: poster)
        }
        #expect(throws: ModelError.self) { try InboxEntry(owner: [1, 2], sealed: [], posted: 0, signingWith: poster) }
    }

    @Test func malformedEntriesAreRefused() throws {
        let good = try InboxEntry(owner: owner.publicKey, sealed: [9, 9], posted: 1, signingWith: poster).encoded()
        var oversize = good
        oversize[73] = 0x20  // sealed length 0x2002 > 8192
        var version = good
        version[0] = 2
        let cases: [[UInt8]] = [[], version, Array(good.prefix(40)), Array(good.dropLast()), good + [0], oversize]
        for bytes in cases {
            #expect(throws: ModelError.self) { try InboxEntry.decode(bytes) }
            do {
                _ = try InboxEntry.decode(bytes)
            } catch let error as ModelError {
                #expect(error.code == .badInboxEntry)
            }
        }
    }

    @Test func removalRoundTripsAndIsSigned() throws {
        let ids = (0..<3).map { BlockID.of([UInt8($0)]) }
        let removal = try InboxRemoval(ids: ids, signingWith: owner)
        #expect(removal.hasValidSignature)
        #expect(try InboxRemoval.decode(removal.encoded()) == removal)
        var forged = removal
        forged.ids.append(BlockID.of([9]))
        #expect(!forged.hasValidSignature)
        var other = removal
        other.owner = poster.publicKey
        #expect(!other.hasValidSignature)
    }

    @Test func removalCountIsBounded() throws {
        #expect(throws: ModelError.self) { try InboxRemoval(ids: [], signingWith: owner) }
        let many = (0...InboxRemoval.maxIDs).map { BlockID.of([UInt8($0 & 0xff), UInt8($0 >> 8)]) }
        #expect(throws: ModelError.self) { try InboxRemoval(ids: many, signingWith: owner) }
        var bytes = try InboxRemoval(ids: [BlockID.of([1])], signingWith: owner).encoded()
        bytes[33] = 0x01
        bytes[34] = 0x01  // 257 ids claimed
        #expect(throws: ModelError.self) { try InboxRemoval.decode(bytes) }
        bytes[33] = 0
        bytes[34] = 2  // 2 ids claimed, 1 present
        #expect(throws: ModelError.self) { try InboxRemoval.decode(bytes) }
        #expect(throws: ModelError.self) { try InboxRemoval.decode([1] + owner.publicKey + [0, 0]) }
    }
}
