/// FastCDC cut-point search (Xia et al., 2016/2020) with a gear rolling hash and normalized chunking.
///
/// The hash is `h = (h << 1) + gear[byte]`, so its top bits depend on the last 64 bytes only: cut points are a function
/// of local content, and an insertion early in a file moves only the chunks next to it. Before the average size the
/// mask has two bits more than log2(average) (harder to match), after it two bits fewer (easier), which pulls chunk
/// sizes towards the average.
public struct FastCDC: Sendable {
    public let settings: ChunkerSettings
    let maskSmall: UInt64
    let maskLarge: UInt64

    public init(settings: ChunkerSettings = .default) {
        self.settings = settings
        let bits = settings.averageSize.trailingZeroBitCount
        maskSmall = Self.topBits(bits + 2)
        maskLarge = Self.topBits(max(1, bits - 2))
    }

    static func topBits(_ n: Int) -> UInt64 { ~UInt64(0) << UInt64(64 - n) }

    /// The length of the first chunk of `data`. With `atEnd` false the caller must supply at least `maxSize` bytes
    /// (or all that is left); a chunk never exceeds `maxSize` and is shorter than `minSize` only at the end.
    public func cutPoint(_ data: UnsafeRawBufferPointer) -> Int {
        let n = data.count
        if n <= settings.minSize { return n }
        let end = min(n, settings.maxSize)
        let normal = min(end, settings.averageSize)
        let bytes = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let gear = GearTable.values
        var h: UInt64 = 0
        var i = settings.minSize
        return gear.withUnsafeBufferPointer { g in
            while i < normal {
                h = (h << 1) &+ g[Int(bytes[i])]
                if h & maskSmall == 0 { return i + 1 }
                i += 1
            }
            while i < end {
                h = (h << 1) &+ g[Int(bytes[i])]
                if h & maskLarge == 0 { return i + 1 }
                i += 1
            }
            return end
        }
    }
}
