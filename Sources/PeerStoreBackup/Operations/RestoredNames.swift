/// The shown names of the files a restore wrote, which its hard links look their first names up in. Each name is kept
/// as a 128-bit keyed hash, about 24 bytes a name where the name itself took over 100 (22 MB at 200,000 files); two
/// names of n share a hash with odds of about n² / 2^129 (under 10^-26 at a million files). A link whose first name
/// failed but shared a hash with a written one would be attempted: `link(2)` then fails and the link is listed, or,
/// restoring with -force into a folder that already holds a file there, links to that file.
struct RestoredNames: Sendable {
    private struct Key: Hashable {
        let high: Int
        let low: Int
    }

    private var keys = Set<Key>()

    mutating func insert(_ name: String) {
        keys.insert(Self.key(name))
    }

    func contains(_ name: String) -> Bool {
        keys.contains(Self.key(name))
    }

    /// Two of the process's keyed hashes (SipHash), of the name behind two different prefixes.
    private static func key(_ name: String) -> Key {
        var high = Hasher()
        high.combine(0 as UInt8)
        high.combine(name)
        var low = Hasher()
        low.combine(1 as UInt8)
        low.combine(name)
        return Key(high: high.finalize(), low: low.finalize())
    }
}
