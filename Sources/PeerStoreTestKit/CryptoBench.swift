import COpenSSL
import Foundation
import PeerStoreCrypto

/// Throughput of every candidate for the three bulk jobs (the channel, the chunk seal, the block id), measured in this
/// process on this CPU: libsodium (what PeerStore used) and the system OpenSSL (what it uses now). swift-crypto's
/// BoringSSL was measured once and left out (HANDBOOK, "Why it is built this way"): depending on it only for this
/// comparison put BoringSSL into every build. `peerstore-gen -cryptoBench` prints it.
public struct CryptoBench {
    public struct Row: Sendable {
        public var job: String
        public var candidate: String
        public var megabytesPerSecond: Double
    }

    public var seconds: Double

    public init(secondsPerCandidate: Double = 0.4) {
        seconds = secondsPerCandidate
    }

    public func run() -> [Row] {
        let message = [UInt8](repeating: 0x5A, count: 65_535)
        let chunk = [UInt8](repeating: 0xA5, count: 1 << 20)
        let key = [UInt8](repeating: 7, count: 32)
        var rows: [Row] = []
        func add(_ job: String, _ name: String, _ bytes: Int, _ body: () -> Void) {
            rows.append(Row(job: job, candidate: name, megabytesPerSecond: rate(bytes: bytes, body)))
        }
        let nonce24 = [UInt8](repeating: 1, count: 24), nonce12 = [UInt8](repeating: 1, count: 12)
        var out = [UInt8](repeating: 0, count: chunk.count + 16)
        var tag = [UInt8](repeating: 0, count: 16)

        // The channel: 64 KiB messages, one key per direction.
        add("channel (64 KiB messages)", "libsodium XSalsa20-Poly1305", message.count) {
            message.withUnsafeBytes { m in out.withUnsafeMutableBytes { o in
                _ = SecretBox.sealDetached(m, into: UnsafeMutableRawBufferPointer(rebasing: o[0..<m.count]), nonce: nonce24, key: key)
            } }
        }
        for algorithm in AEADAlgorithm.allCases {
            let context = try! AEADContext(algorithm, key: key, sealing: true)
            add("channel (64 KiB messages)", "OpenSSL \(algorithm.name)", message.count) {
                message.withUnsafeBytes { m in out.withUnsafeMutableBytes { o in tag.withUnsafeMutableBytes { t in nonce12.withUnsafeBytes { n in
                    context.seal(m, into: UnsafeMutableRawBufferPointer(rebasing: o[0..<m.count]), tag: t, nonce: n)
                } } } }
            }
        }

        // The chunk seal: 1 MiB chunks, a key of its own for each.
        add("chunk seal (1 MiB, own key)", "libsodium XChaCha20-Poly1305", chunk.count) {
            _ = try! XChaCha20Poly1305.seal(chunk, key: key, nonce: nonce24)
        }
        for algorithm in AEADAlgorithm.allCases {
            add("chunk seal (1 MiB, own key)", "OpenSSL \(algorithm.name)", chunk.count) {
                let context = try! AEADContext(algorithm, key: key, sealing: true)
                chunk.withUnsafeBytes { m in out.withUnsafeMutableBytes { o in tag.withUnsafeMutableBytes { t in nonce12.withUnsafeBytes { n in
                    context.seal(m, into: UnsafeMutableRawBufferPointer(rebasing: o[0..<m.count]), tag: t, nonce: n)
                } } } }
            }
        }

        // The block id and the chunk key: hashes of 1 MiB.
        add("hash (1 MiB)", "libsodium BLAKE2b-256", chunk.count) { _ = Blake2b.hash(chunk, outputLength: 32) }
        add("hash (1 MiB)", "libsodium BLAKE2b-256 keyed", chunk.count) { _ = Blake2b.hash(chunk, outputLength: 32, key: key) }
        let sha256 = EVP_MD_fetch(nil, "SHA2-256", nil)
        add("hash (1 MiB)", "OpenSSL SHA-256", chunk.count) {
            var size: UInt32 = 32
            _ = EVP_Digest(chunk, chunk.count, &out, &size, sha256, nil)
        }
        EVP_MD_free(sha256)
        return rows
    }

    /// MB/s (10^6 bytes) of `body` over `bytes`, the median of five spells of `seconds / 5`.
    private func rate(bytes: Int, _ body: () -> Void) -> Double {
        body()
        var rates: [Double] = []
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            var n = 0
            var elapsed = 0.0
            repeat {
                body()
                n += 1
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < seconds / 5
            rates.append(Double(n * bytes) / elapsed / 1e6)
        }
        return rates.sorted()[2]
    }
}
