// TEMPORARY stub until i13-inbox is merged; delete before merging.
import ChordRing
import PeerStoreCrypto
import PeerStoreModel

public struct InboxEntry: Sendable {
    public var owner: [UInt8]
    public var poster: [UInt8]
    public var posted: UInt64
    public var sealed: [UInt8]
    public init(owner: [UInt8], sealed: [UInt8], posted: UInt64, signingWith keys: SigningKeyPair) throws {
        self.owner = owner; self.sealed = sealed; self.posted = posted; poster = keys.publicKey
    }
    public var id: Identifier { BlockID.of(sealed) }
    public var hasValidSignature: Bool { true }
}
public struct InboxRemoval: Sendable {
    public static let maxIDs = 256
    public init(ids: [Identifier], signingWith keys: SigningKeyPair) throws {}
}
extension RingAccess {
    public func postToInbox(_ entry: InboxEntry) async throws -> Bool { fatalError() }
    public func inboxEntries(owner: [UInt8]) async throws -> [InboxEntry] { fatalError() }
    public func removeFromInbox(_ removal: InboxRemoval) async throws { fatalError() }
}
