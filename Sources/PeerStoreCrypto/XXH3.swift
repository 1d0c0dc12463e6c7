import CXXHash

/// XXH3-64 (xxHash, Debian's libxxhash): a fast checksum, not a cryptographic hash. It catches accidental damage
/// (bit rot, torn writes) of bytes whose real identity something else proves; it never proves who wrote them.
public enum XXH3 {
    /// The 64-bit XXH3 of `bytes`, with the default seed (0).
    public static func hash64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        XXH3_64bits(bytes.baseAddress, bytes.count)
    }

    public static func hash64(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash64($0) }
    }
}
