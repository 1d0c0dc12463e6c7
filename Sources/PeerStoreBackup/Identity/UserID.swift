import PeerStoreWire

/// A user id people can copy and paste: "ps" + base32 of the Ed25519 public key and a 4-byte checksum
/// (`PublicKeyText`), so a mistyped id is caught.
public enum UserID {
    public static func encode(publicKey: [UInt8]) -> String {
        PublicKeyText.encode(publicKey, prefix: "ps")
    }

    /// The public key an id names, or nil if it is malformed or its checksum is wrong.
    public static func decode(_ text: String) -> [UInt8]? {
        PublicKeyText.decode(text, prefix: "ps")
    }
}
