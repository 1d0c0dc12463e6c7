import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel
import Testing

/// Lease grants and releases: signing over a domain-separated encoding, round trips, and decoding that bounds every
/// length.
@Suite struct LeaseFormatTests {
    let holder = SigningKeyPair()
    let other = SigningKeyPair()
    let ids = (0..<3).map { BlockID.of([UInt8($0)]) }

    @Test func grantRoundTripsAndIsSigned() throws {
        let grant = try LeaseGrant(ids: ids, issuedAt: 1_700_000_000, expiry: 1_700_000_000 + LeaseRules.standardLength,
                                   signingWith: holder)
        #expect(grant.holder == holder.publicKey)
        #expect(grant.hasValidSignature)
        #expect(grant.length == LeaseRules.standardLength)
        let bytes = grant.encoded()
        #expect(bytes.count == grant.encodedLength)
        #expect(bytes.count == 1 + 32 + 16 + 2 + 3 * 32 + 64)
        #expect(bytes[0] == 1)
        #expect(try LeaseGrant.decode(bytes) == grant)
        // The signature covers the context and every byte before it.
        #expect(grant.signedBytes == Array("peerstore-lease-grant-v1".utf8) + bytes.dropLast(64))
    }

    @Test func releaseRoundTripsAndIsSigned() throws {
        let release = try LeaseRelease(ids: ids, horizon: 1_700_000_123, signingWith: holder)
        #expect(release.hasValidSignature)
        let bytes = release.encoded()
        #expect(bytes.count == release.encodedLength)
        #expect(bytes.count == 1 + 32 + 8 + 2 + 3 * 32 + 64)
        #expect(try LeaseRelease.decode(bytes) == release)
        #expect(release.signedBytes == Array("peerstore-lease-release-v1".utf8) + bytes.dropLast(64))
    }

    @Test func forgedGrantsFailTheirSignature() throws {
        let grant = try LeaseGrant(ids: ids, issuedAt: 10, expiry: 20, signingWith: holder)
        var forged = [grant, grant, grant, grant, grant, grant]
        forged[0].ids.append(BlockID.of([9]))
        forged[1].expiry = 30
        forged[2].issuedAt = 11
        forged[3].holder = other.publicKey  // another user's key with this user's signature
        forged[4].signature[5] ^= 0x01
        forged[5].signature = try LeaseGrant(ids: ids, issuedAt: 10, expiry: 20, signingWith: other).signature
        for bad in forged { #expect(!bad.hasValidSignature) }
    }

    @Test func forgedReleasesFailTheirSignature() throws {
        let release = try LeaseRelease(ids: ids, horizon: 100, signingWith: holder)
        var forged = [release, release, release, release]
        forged[0].horizon = 101
        forged[1].ids.removeLast()
        forged[2].holder = other.publicKey
        forged[3].signature[0] ^= 0x80
        for bad in forged { #expect(!bad.hasValidSignature) }
    }

    @Test func aGrantSignatureDoesNotPassAsARelease() throws {
        // Same holder, same ids: the contexts differ, so neither signature verifies for the other kind.
        let grant = try LeaseGrant(ids: ids, issuedAt: 5, expiry: 6, signingWith: holder)
        let release = LeaseRelease(holder: holder.publicKey, horizon: 5, ids: ids, signature: grant.signature)
        #expect(!release.hasValidSignature)
    }

    @Test func creationBoundsItsInputs() throws {
        #expect(throws: ModelError.self) { try LeaseGrant(ids: [], issuedAt: 1, expiry: 2, signingWith: holder) }
        #expect(throws: ModelError.self) { try LeaseGrant(ids: ids, issuedAt: 2, expiry: 2, signingWith: holder) }
        let many = (0...LeaseGrant.maxIDs).map { BlockID.of([UInt8($0 & 0xff), UInt8($0 >> 8)]) }
        #expect(throws: ModelError.self) { try LeaseGrant(ids: many, issuedAt: 1, expiry: 2, signingWith: holder) }
        #expect(throws: ModelError.self) { try LeaseRelease(ids: many, horizon: 1, signingWith: holder) }
        #expect(throws: ModelError.self) { try LeaseRelease(ids: [], horizon: 1, signingWith: holder) }
        let most = try LeaseGrant(ids: Array(many.dropLast()), issuedAt: 1, expiry: 2, signingWith: holder)
        #expect(try LeaseGrant.decode(most.encoded()) == most)
    }

    @Test func truncatedAndMalformedGrantsAreRefused() throws {
        let good = try LeaseGrant(ids: ids, issuedAt: 1, expiry: 2, signingWith: holder).encoded()
        var version = good
        version[0] = 2
        var zero = good
        zero[49] = 0
        zero[50] = 0  // no ids
        var huge = good
        huge[49] = 0xff
        huge[50] = 0xff  // 65,535 ids claimed, more than the bound
        var more = good
        more[50] = 4  // 4 ids claimed, 3 present
        var cases: [[UInt8]] = [[], version, zero, huge, more, good + [0]]
        for cut in [1, 20, 33, 45, 50, 60, good.count - 64, good.count - 1] { cases.append(Array(good.prefix(cut))) }
        for bytes in cases { expectBadLease { try LeaseGrant.decode(bytes) } }
    }

    @Test func truncatedAndMalformedReleasesAreRefused() throws {
        let good = try LeaseRelease(ids: ids, horizon: 9, signingWith: holder).encoded()
        var version = good
        version[0] = 0
        var huge = good
        huge[41] = 0x40
        huge[42] = 0x01  // 16,385 ids claimed
        var cases: [[UInt8]] = [[], version, huge, good + [1]]
        for cut in [1, 32, 40, 42, 50, good.count - 1] { cases.append(Array(good.prefix(cut))) }
        for bytes in cases { expectBadLease { try LeaseRelease.decode(bytes) } }
    }

    private func expectBadLease<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try body()
            Issue.record("decoded", sourceLocation: sourceLocation)
        } catch let error as ModelError {
            #expect(error.code == .badLease, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }
}
