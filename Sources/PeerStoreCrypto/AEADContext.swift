import COpenSSL

/// One key of an `AEADAlgorithm`, set up once for sealing or for opening many messages (the key schedule is made only
/// here; each message then sets just its nonce). Input and output may be the same memory. Not thread-safe: one owner,
/// as a channel's one direction or one chunk's seal.
public final class AEADContext: @unchecked Sendable {
    public let algorithm: AEADAlgorithm
    private let context: OpaquePointer
    private let sealing: Bool

    public init(_ algorithm: AEADAlgorithm, key: [UInt8], sealing: Bool) throws {
        guard key.count == AEADAlgorithm.keyLength else { throw CryptoError(.invalidKeyLength, "an \(algorithm.name) key is 32 bytes") }
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError(.invalidInput, "OpenSSL could not make a cipher context") }
        self.algorithm = algorithm
        self.context = context
        self.sealing = sealing
        guard EVP_CipherInit_ex(context, algorithm.cipher, nil, key, nil, sealing ? 1 : 0) == 1 else {
            throw CryptoError(.invalidInput, "OpenSSL refused the \(algorithm.name) key")
        }
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// Encrypts `input` into `output` (as long as `input`; may be the same memory) and writes the 16-byte tag to `tag`.
    public func seal(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, tag: UnsafeMutableRawBufferPointer,
                     nonce: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) {
        precondition(sealing, "an opening context cannot seal")
        precondition(output.count == input.count && tag.count == AEADAlgorithm.tagLength, "AEAD output or tag of the wrong length")
        start(nonce: nonce, associatedData: associatedData)
        let ok = crypt(input, into: output)
            && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(AEADAlgorithm.tagLength), tag.baseAddress) == 1
        precondition(ok, "OpenSSL failed to seal with \(algorithm.name)")
    }

    /// Decrypts `input` into `output` if `tag` authenticates it with the associated data; on failure `output` holds
    /// nothing usable and `CryptoError.authenticationFailed` is thrown.
    public func open(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, tag: UnsafeRawBufferPointer,
                     nonce: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) throws {
        precondition(!sealing, "a sealing context cannot open")
        precondition(output.count == input.count, "AEAD output of the wrong length")
        guard tag.count == AEADAlgorithm.tagLength else { throw CryptoError.authenticationFailed }
        start(nonce: nonce, associatedData: associatedData)
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(AEADAlgorithm.tagLength), UnsafeMutableRawPointer(mutating: tag.baseAddress)) == 1,
              crypt(input, into: output)
        else { throw CryptoError.authenticationFailed }
    }

    private func start(nonce: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer) {
        precondition(nonce.count == AEADAlgorithm.nonceLength, "an AEAD nonce is 12 bytes")
        var ok = EVP_CipherInit_ex(context, nil, nil, nil, nonce.baseAddress!.assumingMemoryBound(to: UInt8.self), -1) == 1
        if ok, associatedData.count > 0 {
            var written: Int32 = 0
            ok = EVP_CipherUpdate(context, nil, &written, associatedData.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                  Int32(associatedData.count)) == 1
        }
        precondition(ok, "OpenSSL failed to start \(algorithm.name)")
    }

    /// The body and the final step (which checks the tag when opening).
    private func crypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        var written: Int32 = 0
        var scratch: UInt8 = 0
        if input.count > 0 {
            guard EVP_CipherUpdate(context, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written,
                                   input.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(input.count)) == 1 else { return false }
        }
        return withUnsafeMutablePointer(to: &scratch) { end in
            let at = input.count > 0 ? output.baseAddress!.assumingMemoryBound(to: UInt8.self) + Int(written) : end
            return EVP_CipherFinal_ex(context, at, &written) == 1
        }
    }
}
