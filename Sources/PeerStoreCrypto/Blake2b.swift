import CSodium

/// BLAKE2b (libsodium's `crypto_generichash`), plain or keyed, one-shot or streaming.
public struct Blake2b: ~Copyable {
    public static let minOutputLength = Int(crypto_generichash_BYTES_MIN)
    public static let maxOutputLength = Int(crypto_generichash_BYTES_MAX)
    public static let maxKeyLength = Int(crypto_generichash_KEYBYTES_MAX)

    private let state: UnsafeMutableRawPointer
    private let outputLength: Int

    /// Starts a streaming hash. `key` may be empty (plain BLAKE2b) or up to 64 bytes (keyed).
    public init(outputLength: Int = 32, key: [UInt8] = []) {
        Sodium.ready()
        precondition((Self.minOutputLength...Self.maxOutputLength).contains(outputLength), "bad BLAKE2b output length")
        precondition(key.count <= Self.maxKeyLength, "BLAKE2b key too long")
        self.outputLength = outputLength
        // The state is 64-byte aligned in C, so Swift sees it as opaque: allocate it by hand.
        state = UnsafeMutableRawPointer.allocate(byteCount: crypto_generichash_statebytes(), alignment: 64)
        let s = OpaquePointer(state)
        let rc = key.withUnsafeBufferPointer { k in
            crypto_generichash_init(s, k.count == 0 ? nil : k.baseAddress, k.count, outputLength)
        }
        precondition(rc == 0)
    }

    deinit {
        sodium_memzero(state, crypto_generichash_statebytes())
        state.deallocate()
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        crypto_generichash_update(OpaquePointer(state), bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public consuming func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: outputLength)
        let n = outputLength
        out.withUnsafeMutableBufferPointer { o in
            _ = crypto_generichash_final(OpaquePointer(state), o.baseAddress!, n)
        }
        return out
    }

    /// One-shot hash of a buffer.
    public static func hash(_ bytes: UnsafeRawBufferPointer, outputLength: Int = 32, key: [UInt8] = []) -> [UInt8] {
        Sodium.ready()
        precondition((minOutputLength...maxOutputLength).contains(outputLength), "bad BLAKE2b output length")
        precondition(key.count <= maxKeyLength, "BLAKE2b key too long")
        var out = [UInt8](repeating: 0, count: outputLength)
        out.withUnsafeMutableBufferPointer { o in
            key.withUnsafeBufferPointer { k in
                _ = crypto_generichash(
                    o.baseAddress!, outputLength,
                    bytes.count == 0 ? nil : bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count),
                    k.count == 0 ? nil : k.baseAddress, k.count)
            }
        }
        return out
    }

    public static func hash(_ bytes: [UInt8], outputLength: Int = 32, key: [UInt8] = []) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0, outputLength: outputLength, key: key) }
    }
}
