import PeerStoreCrypto
import Testing

/// XXH3-64 with seed 0, as libxxhash computes it: the published value for the empty input, and values pinned so that
/// a change of function or seed (which would make every stored PSE2 checksum disagree) is caught.
struct XXH3Tests {
    @Test func knownAnswers() {
        #expect(XXH3.hash64([]) == 0x2D06_8005_38D3_94C2)
        #expect(XXH3.hash64(Array("a".utf8)) == 0xE6C6_32B6_1E96_4E1F)
        #expect(XXH3.hash64(Array("abc".utf8)) == 0x78AF_5F94_892F_3950)
        let long = (0..<10).flatMap { _ in (0...255).map { UInt8($0) } }
        #expect(XXH3.hash64(long) == 0xCE94_C58D_4049_E3E5)
        #expect(long.withUnsafeBytes { XXH3.hash64($0) } == XXH3.hash64(long))
    }
}
