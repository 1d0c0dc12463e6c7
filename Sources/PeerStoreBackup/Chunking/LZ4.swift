import CLZ4

/// LZ4 block compression (liblz4); chunks keep it only when it saves space (see `ChunkBlock`).
public enum LZ4 {
    /// The most bytes compressing `count` bytes can give.
    public static func bound(_ count: Int) -> Int { Int(LZ4_compressBound(Int32(min(count, Int(Int32.max) - 1)))) }

    /// Compresses `input` into `output` (which should hold `bound(input.count)` bytes); the compressed length, or nil
    /// if it did not fit.
    public static func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        guard input.count > 0, input.count < Int(Int32.max), output.count > 0 else { return nil }
        let n = LZ4_compress_default(
            input.baseAddress!.assumingMemoryBound(to: CChar.self), output.baseAddress!.assumingMemoryBound(to: CChar.self),
            Int32(input.count), Int32(min(output.count, Int(Int32.max))))
        return n > 0 ? Int(n) : nil
    }

    /// Whether compressing `input` is worth trying: large inputs are judged by two 32 KiB samples (start and middle),
    /// so random data (media, archives, encrypted files) costs a sample instead of a full pass.
    public static func looksCompressible(_ input: UnsafeRawBufferPointer) -> Bool {
        let sample = 32 << 10
        guard input.count > 4 * sample else { return true }
        var scratch = [UInt8](unsafeUninitializedCapacity: bound(sample)) { _, count in count = bound(sample) }
        return scratch.withUnsafeMutableBytes { out in
            for start in [0, input.count / 2] {
                let piece = UnsafeRawBufferPointer(rebasing: input[start..<(start + sample)])
                if let n = compress(piece, into: out), n < sample - sample / 32 { return true }
            }
            return false
        }
    }

    /// Decompresses into exactly `originalSize` bytes; nil if the input is not valid LZ4 of that size.
    public static func decompress(_ input: ArraySlice<UInt8>, originalSize: Int) -> [UInt8]? {
        guard originalSize >= 0, originalSize < Int(Int32.max), !input.isEmpty else { return originalSize == 0 ? [] : nil }
        var n: Int32 = -1
        let out = [UInt8](unsafeUninitializedCapacity: max(originalSize, 1)) { dst, count in
            n = input.withUnsafeBytes { src in
                LZ4_decompress_safe(
                    src.baseAddress!.assumingMemoryBound(to: CChar.self), UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self),
                    Int32(input.count), Int32(originalSize))
            }
            count = Int(n) == originalSize ? originalSize : 0
        }
        guard Int(n) == originalSize else { return nil }
        return out
    }
}
