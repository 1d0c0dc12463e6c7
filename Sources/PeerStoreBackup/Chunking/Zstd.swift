import CZstd
import Synchronization

/// Zstandard compression (libzstd), one frame per chunk or tree; small chunks use it (see `ChunkCompression`).
///
/// Frames are trimmed of what PeerStore already stores beside them: no magic number (zstd's magicless format) and no
/// content size (the body holds the length), 6 bytes less for each small file. Contexts are kept in a small pool and
/// reused: making one costs more than compressing a 2 KB file.
public enum Zstd {
    /// The level small chunks are compressed at: zstd's default, which restic's "auto" also uses.
    public static let level: Int32 = 3

    /// The most bytes compressing `count` bytes can give.
    public static func bound(_ count: Int) -> Int { ZSTD_compressBound(count) }

    /// Compresses `input` into `output` (which should hold `bound(input.count)` bytes); the compressed length, or nil
    /// if it did not fit.
    public static func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        guard input.count > 0, output.count > 0 else { return nil }
        let context = compressors.take {
            let made = ZSTD_createCCtx()
            for (parameter, value) in [(ZSTD_c_compressionLevel, level), (ZSTD_c_contentSizeFlag, 0), (ZSTD_c_experimentalParam2, magicless)] {
                precondition(ZSTD_isError(ZSTD_CCtx_setParameter(made, parameter, value)) == 0, "libzstd refused parameter \(parameter)")
            }
            return made
        }
        defer { compressors.give(context) { ZSTD_freeCCtx($0) } }
        let n = ZSTD_compress2(context.pointer, output.baseAddress, output.count, input.baseAddress, input.count)
        return ZSTD_isError(n) == 0 ? n : nil
    }

    /// Decompresses one frame into exactly `originalSize` bytes; nil if the input is not a zstd frame of that size.
    public static func decompress(_ input: ArraySlice<UInt8>, originalSize: Int) -> [UInt8]? {
        guard originalSize > 0, !input.isEmpty else { return nil }
        let context = decompressors.take {
            let made = ZSTD_createDCtx()
            precondition(ZSTD_isError(ZSTD_DCtx_setParameter(made, ZSTD_d_experimentalParam1, magicless)) == 0, "libzstd refused ZSTD_d_format")
            return made
        }
        defer { decompressors.give(context) { ZSTD_freeDCtx($0) } }
        var n = 0
        let out = [UInt8](unsafeUninitializedCapacity: originalSize) { dst, count in
            n = input.withUnsafeBytes { src in
                ZSTD_decompressDCtx(context.pointer, dst.baseAddress, originalSize, src.baseAddress, src.count)
            }
            count = ZSTD_isError(n) == 0 && n == originalSize ? originalSize : 0
        }
        return out.count == originalSize ? out : nil
    }

    /// `ZSTD_f_zstd1_magicless` (an experimental parameter of the stable setter, in libzstd since 1.3.6).
    private static let magicless: Int32 = 1
    private static let compressors = ContextPool()
    private static let decompressors = ContextPool()
}

/// A few idle zstd contexts; more than `limit` are freed instead of kept.
private final class ContextPool: Sendable {
    struct Context: @unchecked Sendable { let pointer: OpaquePointer }

    private let idle = Mutex<[Context]>([])
    private let limit = 8

    func take(_ make: () -> OpaquePointer?) -> Context {
        if let context = idle.withLock({ $0.popLast() }) { return context }
        guard let made = make() else { fatalError("zstd could not allocate a context (out of memory)") }
        return Context(pointer: made)
    }

    func give(_ context: Context, free: (OpaquePointer) -> Int) {
        let kept = idle.withLock { contexts in
            guard contexts.count < limit else { return false }
            contexts.append(context)
            return true
        }
        if !kept { _ = free(context.pointer) }
    }
}
