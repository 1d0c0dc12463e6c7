import ChordRing
import PeerStoreCrypto
import PeerStoreModel

/// What a lease asks for: the holder's key, and the grant's issue and expiry times (unix seconds).
public struct LeaseTerms: Sendable {
    public var keys: SigningKeyPair
    public var issuedAt: UInt64
    public var expiry: UInt64

    /// A lease of `LeaseRules.standardLength` from `issuedAt`.
    public init(keys: SigningKeyPair, issuedAt: UInt64, expiry: UInt64? = nil) {
        self.keys = keys
        self.issuedAt = issuedAt
        self.expiry = expiry ?? issuedAt + LeaseRules.standardLength
    }

    /// A standard lease issued now by `keys` (a user's signing keys).
    public static func now(_ keys: SigningKeyPair) -> LeaseTerms {
        LeaseTerms(keys: keys, issuedAt: UInt64(max(0, Timestamp.nowNanoseconds() / 1_000_000_000)))
    }
}

/// Leases on the ring's blocks, held under a user's key (docs/retention.md part 2): the ring (`RingClient`), or a
/// double in tests.
public protocol LeaseAccess: Sendable {
    /// For each id, whether the ring holds it, leasing those held on the way (have-blocks with a grant).
    func haveBlocks(_ ids: [Identifier], leasing terms: LeaseTerms) async throws -> [Bool]
    /// Leases `ids` (blocks just stored); which are held.
    func lease(_ ids: [Identifier], terms: LeaseTerms) async throws -> [Bool]
    /// Releases the leases of `keys` on `ids` with `horizon` (unix seconds: when the releasing prune read the heads);
    /// per id, whether the holder still holds a lease on it afterwards (one renewed within B of the horizon).
    func release(_ ids: [Identifier], horizon: UInt64, signingWith keys: SigningKeyPair) async throws -> [Bool]
}
