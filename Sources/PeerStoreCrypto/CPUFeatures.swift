#if canImport(Glibc)
import Glibc
#endif

/// What the CPU offers that changes which cipher is fastest, read once from the kernel (`/proc/cpuinfo` on Linux).
public struct CPUFeatures: Sendable, Equatable {
    /// AES rounds and carry-less multiplication in hardware (x86 `aes` + `pclmulqdq`, Arm `aes` + `pmull`).
    public var hasAESInstructions: Bool

    public init(hasAESInstructions: Bool) {
        self.hasAESInstructions = hasAESInstructions
    }

    public static let current = CPUFeatures(cpuinfo: CPUFeatures.readCPUInfo())

    /// Parses the flags (x86) or features (Arm) line of a `/proc/cpuinfo` text; no line at all means no AES.
    public init(cpuinfo: String) {
        var flags: Set<Substring> = []
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingCharacters(in: " \t")
            guard name == "flags" || name == "Features" else { continue }
            flags = Set(parts[1].split(separator: " "))
            break
        }
        hasAESInstructions = flags.contains("aes") && (flags.contains("pclmulqdq") || flags.contains("pmull"))
    }

    private static func readCPUInfo() -> String {
        #if os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return "" }
        defer { fclose(file) }
        var text = ""
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var bytes: [UInt8] = []
        while bytes.count < 1 << 20 {  // the first processor's lines are enough; a many-core file is cut here
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
        #else
        return "flags : aes pclmulqdq"  // Apple silicon and recent x86 Macs: both have them
        #endif
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return s
    }
}
