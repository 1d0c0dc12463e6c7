import PeerStoreCrypto

/// The envelope of every sealed client structure (manifest, tree, snapshot, head value):
/// `version u8 | kind u8 | nonce 24 | XChaCha20-Poly1305(ciphertext + tag)`, with the two header bytes as associated
/// data, so a block of one kind cannot be passed off as another.
public enum SealedObject {
    public static let version: UInt8 = 1
    public static let headerSize = 2 + XChaCha20Poly1305.nonceLength

    public enum Kind: UInt8, Sendable {
        case chunk = 1
        case manifest = 2
        case tree = 3
        case snapshot = 4
        case head = 5
        /// The client's local file cache: never a block.
        case fileCache = 6
        /// The user's device list (`DeviceRegistry`), a record value.
        case devices = 7
        /// The value of a sync head record (`SyncHead`).
        case syncHead = 8
        /// A piece of a synced folder's state (`FolderStateCodec`).
        case syncState = 9
        /// A piece of a backup name's snapshot index (`SnapshotIndexCodec`).
        case snapshotIndex = 10
    }

    /// Seals with the given nonce (deterministic callers derive it from the content; others pass a random one).
    public static func seal(_ plaintext: [UInt8], kind: Kind, key: [UInt8], nonce: [UInt8]) throws -> [UInt8] {
        let header = [version, kind.rawValue]
        return header + nonce + (try XChaCha20Poly1305.seal(plaintext, key: key, nonce: nonce, associatedData: header))
    }

    /// Seals `plaintextCount` bytes that `fill` writes into the sealed object's own buffer, so a large plaintext (the
    /// file cache) is never held twice: one allocation, encrypted in place.
    public static func seal(plaintextCount: Int, kind: Kind, key: [UInt8], nonce: [UInt8],
                            fill: (UnsafeMutableRawBufferPointer) -> Void) throws -> [UInt8] {
        let header = [version, kind.rawValue]
        var sealed = [UInt8](repeating: 0, count: headerSize + plaintextCount + XChaCha20Poly1305.tagLength)
        try sealed.withUnsafeMutableBytes { all in
            (header + nonce).withUnsafeBytes { all.copyMemory(from: $0) }
            let body = UnsafeMutableRawBufferPointer(rebasing: all[headerSize...])
            fill(UnsafeMutableRawBufferPointer(rebasing: body[..<plaintextCount]))
            try header.withUnsafeBytes {
                try XChaCha20Poly1305.sealInPlace(body, count: plaintextCount, key: key, nonce: nonce, associatedData: $0)
            }
        }
        return sealed
    }

    /// Opens `sealed` in its own buffer and returns the plaintext's range in it (for a large object read from disk).
    public static func openInPlace(_ sealed: UnsafeMutableRawBufferPointer, kind: Kind, key: [UInt8], what: String) throws -> Range<Int> {
        try check(UnsafeRawBufferPointer(sealed), kind: kind, what: what)
        let nonce = Array(sealed[2..<headerSize])
        let header = [version, kind.rawValue]
        do {
            try XChaCha20Poly1305.openInPlace(UnsafeMutableRawBufferPointer(rebasing: sealed[headerSize...]), key: key, nonce: nonce,
                                              associatedData: header)
        } catch {
            throw BackupError(.corruptBlock, "cannot decrypt \(what): it was altered or belongs to another key")
        }
        return headerSize..<(sealed.count - XChaCha20Poly1305.tagLength)
    }

    private static func check(_ sealed: some RandomAccessCollection<UInt8>, kind: Kind, what: String) throws {
        guard sealed.count >= headerSize + XChaCha20Poly1305.tagLength else { throw BackupError.badFormat(what, "too short") }
        let (first, second) = (sealed[sealed.startIndex], sealed[sealed.index(after: sealed.startIndex)])
        guard first == version else { throw BackupError.badFormat(what, "unknown format version \(first)") }
        guard second == kind.rawValue else { throw BackupError.badFormat(what, "expected a \(kind), found kind \(second)") }
    }

    public static func open(_ sealed: [UInt8], kind: Kind, key: [UInt8], what: String) throws -> [UInt8] {
        try check(sealed, kind: kind, what: what)
        let nonce = Array(sealed[2..<headerSize])
        do {
            return try sealed.withUnsafeBytes {
                try XChaCha20Poly1305.open(
                    UnsafeRawBufferPointer(rebasing: $0[headerSize...]), key: key, nonce: nonce, associatedData: [version, kind.rawValue])
            }
        } catch {
            throw BackupError(.corruptBlock, "cannot decrypt \(what): it was altered or belongs to another key")
        }
    }
}
