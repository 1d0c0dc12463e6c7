#if canImport(Glibc)
import Glibc
#endif

/// The target this process fuzzes, chosen once by `PEERSTORE_FUZZ_TARGET` before libFuzzer starts.
nonisolated(unsafe) var selected: FuzzTarget?

/// libFuzzer's driver (`-sanitize=fuzzer` links it): runs the fuzzing loop with libFuzzer's flags from argv.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The executable's entry point (SwiftPM links `main` to `<module>_main`): picks the target, or writes the seed corpus
/// with `PEERSTORE_FUZZ_WRITE_SEEDS=DIR`, then hands over to libFuzzer.
@_cdecl("PeerStoreFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    if let folder = getenv("PEERSTORE_FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) {
        do {
            try SeedWriter.writeAll(into: folder)
            return 0
        } catch {
            fail("cannot write the seed corpus to \(folder): \(error)")
        }
    }
    let name = getenv("PEERSTORE_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget.all.first(where: { $0.name == name }) else {
        fail("set PEERSTORE_FUZZ_TARGET to one of: \(FuzzTarget.all.map(\.name).joined(separator: " "))")
    }
    selected = target
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        selected!.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}

/// Prints one error line and exits with status 2.
func fail(_ message: String) -> Never {
    let line = Array("error: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}
