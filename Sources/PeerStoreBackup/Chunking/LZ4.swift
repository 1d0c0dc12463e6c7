import CLZ4

/// LZ4 block compression (liblz4), used only when it saves space.
public enum LZ4 {
    /// The compressed bytes, or nil if compression would not make the data smaller.
    public static func compressIfSmaller(_ input: [UInt8]) -> [UInt8]? {
        guard input.count > 64, input.count < Int(Int32.max) else { return nil }
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        var out = [UInt8](repeating: 0, count: bound)
        let n = input.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                LZ4_compress_default(
                    src.baseAddress!.assumingMemoryBound(to: CChar.self), dst.baseAddress!.assumingMemoryBound(to: CChar.self),
                    Int32(input.count), Int32(bound))
            }
        }
        guard n > 0, Int(n) < input.count else { return nil }
        out.removeLast(bound - Int(n))
        return out
    }

    /// Decompresses into exactly `originalSize` bytes; nil if the input is not valid LZ4 of that size.
    public static func decompress(_ input: ArraySlice<UInt8>, originalSize: Int) -> [UInt8]? {
        guard originalSize >= 0, originalSize < Int(Int32.max), !input.isEmpty else { return originalSize == 0 ? [] : nil }
        var out = [UInt8](repeating: 0, count: max(originalSize, 1))
        let n = input.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                LZ4_decompress_safe(
                    src.baseAddress!.assumingMemoryBound(to: CChar.self), dst.baseAddress!.assumingMemoryBound(to: CChar.self),
                    Int32(input.count), Int32(originalSize))
            }
        }
        guard Int(n) == originalSize else { return nil }
        if originalSize == 0 { return [] }
        return out
    }
}
