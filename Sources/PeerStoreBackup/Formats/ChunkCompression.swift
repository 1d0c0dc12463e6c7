/// The compressor of a chunk's body, and its tag byte in the body (0 is a stored body).
///
/// Small chunks (whole small files, the last piece of a large one) take zstd: they are where LZ4's ratio is weakest, a
/// 2 KB text file shrinks by a third more, and per-file costs dwarf the extra CPU. Larger chunks keep LZ4, which
/// compresses about twice and decompresses about three times as fast on this machine (the measure is in HANDBOOK's
/// compression bullet). The choice depends on the plaintext's length only, so equal plaintext still gives an equal block.
public enum ChunkCompression: UInt8, Sendable, CaseIterable {
    case lz4 = 1
    case zstd = 2

    /// Chunks shorter than this take zstd.
    public static let zstdBelow = 64 << 10

    /// The compressor for a chunk of `plaintextLength` bytes.
    public static func `for`(plaintextLength: Int) -> ChunkCompression {
        plaintextLength < zstdBelow ? .zstd : .lz4
    }

    /// The compressed plaintext, tried only when a sample says it compresses and kept only when it saves space.
    func compressedIfSmaller(_ plaintext: UnsafeRawBufferPointer) -> [UInt8]? {
        guard plaintext.count > 64, LZ4.looksCompressible(plaintext) else { return nil }
        let compressed = [UInt8](unsafeUninitializedCapacity: bound(plaintext.count)) { out, count in
            let target = UnsafeMutableRawBufferPointer(out)
            count = (self == .zstd ? Zstd.compress(plaintext, into: target) : LZ4.compress(plaintext, into: target)) ?? 0
        }
        return !compressed.isEmpty && compressed.count + 4 < plaintext.count ? compressed : nil
    }

    /// Exactly `originalSize` bytes, or nil if `input` is not valid for this compressor and size.
    func decompress(_ input: ArraySlice<UInt8>, originalSize: Int) -> [UInt8]? {
        self == .zstd ? Zstd.decompress(input, originalSize: originalSize) : LZ4.decompress(input, originalSize: originalSize)
    }

    private func bound(_ count: Int) -> Int { self == .zstd ? Zstd.bound(count) : LZ4.bound(count) }
}
