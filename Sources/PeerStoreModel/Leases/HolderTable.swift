/// Lease holders (32-byte Ed25519 public keys) interned as small numbers, so a lease costs a few bytes, not a key.
public struct HolderTable: Equatable, Sendable {
    public typealias Index = UInt32

    public private(set) var keys: [[UInt8]] = []
    private var indices: [[UInt8]: Index] = [:]

    public init() {}

    /// The holder's number, adding it if new.
    public mutating func intern(_ key: [UInt8]) -> Index {
        if let index = indices[key] { return index }
        let index = Index(keys.count)
        keys.append(key)
        indices[key] = index
        return index
    }

    /// The holder's number if it was ever seen.
    public func index(of key: [UInt8]) -> Index? { indices[key] }

    public func key(_ index: Index) -> [UInt8] { keys[Int(index)] }
}
