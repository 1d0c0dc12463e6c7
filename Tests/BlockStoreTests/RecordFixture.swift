import PeerStoreCrypto
import PeerStoreModel

func recordOwner() throws -> SigningKeyPair { SigningKeyPair() }

func signedRecord(_ keys: SigningKeyPair, salt: [UInt8] = Array("profile".utf8), seq: UInt64, value: [UInt8]) throws -> SignedRecord {
    try SignedRecord(signing: value, salt: salt, seq: seq, with: keys)
}
