import PeerStoreCrypto

/// What seals one direction of a box stream: libsodium's secretbox (XSalsa20-Poly1305, 24-byte nonce; the Secret
/// Handshake's own, used for the cipher offers) or an OpenSSL AEAD agreed on by both sides (`StreamSuite`), which
/// takes the last 12 bytes of the same nonce counter. A box is 16 bytes longer than its message either way.
struct BoxStreamCipher: @unchecked Sendable {
    let suite: StreamSuite
    private let key: [UInt8]
    private let context: AEADContext?

    /// `key` is the direction's key from the handshake; an AEAD suite uses its own key derived from it.
    init(suite: StreamSuite, key: [UInt8], sealing: Bool) {
        self.suite = suite
        if let algorithm = suite.algorithm {
            self.key = SHA256Hash.hash(Array("peerstore-box-stream-v2".utf8) + [suite.rawValue] + key)
            context = try! AEADContext(algorithm, key: self.key, sealing: sealing)  // a 32-byte key is never refused
        } else {
            self.key = key
            context = nil
        }
    }

    /// Encrypts `message` into `output` (same length), returning its 16-byte tag.
    func sealDetached(_ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, nonce: [UInt8]) -> [UInt8] {
        guard let context else { return SecretBox.sealDetached(message, into: output, nonce: nonce, key: key) }
        var tag = [UInt8](repeating: 0, count: AEADAlgorithm.tagLength)
        nonce.suffix(AEADAlgorithm.nonceLength).withUnsafeBytes { n in
            tag.withUnsafeMutableBytes { t in context.seal(message, into: output, tag: t, nonce: n) }
        }
        return tag
    }

    /// Decrypts `box` into `output` (same length) if `tag` authenticates it.
    func openDetached(_ box: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, tag: [UInt8], nonce: [UInt8]) throws {
        guard let context else { return try SecretBox.openDetached(box, into: output, tag: tag, nonce: nonce, key: key) }
        try nonce.suffix(AEADAlgorithm.nonceLength).withUnsafeBytes { n in
            try tag.withUnsafeBytes { t in try context.open(box, into: output, tag: t, nonce: n) }
        }
    }

    /// A whole box: the message encrypted, then its tag (secretbox puts the tag first; the length is the same).
    func seal(_ message: [UInt8], nonce: [UInt8]) -> [UInt8] {
        guard context != nil else { return SecretBox.seal(message, nonce: nonce, key: key) }
        var out = [UInt8](repeating: 0, count: message.count + AEADAlgorithm.tagLength)
        let tag = message.withUnsafeBytes { m in
            out.withUnsafeMutableBytes { o in sealDetached(m, into: UnsafeMutableRawBufferPointer(rebasing: o[0..<message.count]), nonce: nonce) }
        }
        out.replaceSubrange(message.count..., with: tag)
        return out
    }

    func open(_ box: [UInt8], nonce: [UInt8]) throws -> [UInt8] {
        guard context != nil else { return try SecretBox.open(box, nonce: nonce, key: key) }
        guard box.count >= AEADAlgorithm.tagLength else { throw CryptoError.authenticationFailed }
        let count = box.count - AEADAlgorithm.tagLength
        var out = [UInt8](repeating: 0, count: count)
        try box.withUnsafeBytes { b in
            try out.withUnsafeMutableBytes { o in
                try openDetached(UnsafeRawBufferPointer(rebasing: b[0..<count]), into: o, tag: Array(box[count...]), nonce: nonce)
            }
        }
        return out
    }
}
