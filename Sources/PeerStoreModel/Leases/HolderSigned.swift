import ChordRing
import NIOCore
import PeerStoreCrypto

/// What a lease grant and a lease release share: a holder's Ed25519 signature over a context string and every byte of
/// the encoding before the signature, which comes last.
public protocol HolderSigned {
    static var signingContext: [UInt8] { get }
    var holder: [UInt8] { get }
    var ids: [Identifier] { get }
    var signature: [UInt8] { get }
    /// The encoding up to the signature.
    func encodeUnsigned(into buffer: inout ByteBuffer)
}

extension HolderSigned {
    /// The bytes the signature covers: the context, then the encoding up to the signature.
    public var signedBytes: [UInt8] {
        var buffer = ByteBuffer()
        encodeUnsigned(into: &buffer)
        return Self.signingContext + Array(buffer.readableBytesView)
    }

    public var hasValidSignature: Bool {
        holder.count == SigningKeyPair.publicKeyLength && LeaseIDs.isValidCount(ids)
            && SigningKeyPair.verify(signature: signature, message: signedBytes, publicKey: holder)
    }

    public func encode(into buffer: inout ByteBuffer) {
        encodeUnsigned(into: &buffer)
        buffer.writeBytes(signature)
    }
}
