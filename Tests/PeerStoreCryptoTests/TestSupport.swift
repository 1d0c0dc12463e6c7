import PeerStoreCrypto

/// Hex to bytes for test vectors; traps on a typo in a vector rather than testing garbage.
func hex(_ text: String) -> [UInt8] {
    guard let bytes = Hex.decode(text.filter { !$0.isWhitespace }) else { preconditionFailure("bad hex in test: \(text)") }
    return bytes
}

/// A copy of `bytes` with bit `bit` (0 = lowest bit of byte 0) flipped.
func flipping(_ bytes: [UInt8], bit: Int) -> [UInt8] {
    var out = bytes
    out[bit / 8] ^= UInt8(1 << (bit % 8))
    return out
}

/// A few bit positions spread over a buffer of `count` bytes: first, last and some in between.
func samplePositions(byteCount count: Int) -> [Int] {
    let bits = count * 8
    return Array(Set([0, 7, bits / 3, bits / 2 + 5, bits - 8, bits - 1])).filter { $0 >= 0 && $0 < bits }.sorted()
}
