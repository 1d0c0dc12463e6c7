import Foundation

/// Finds the built executables (`peerstore-server`, `peerstore-client`) for tests that start real processes; an
/// absolute path is taken as it is.
///
/// Order: `$PEERSTORE_BIN_DIR`, then the folder of the running test bundle's build products, then `.build/debug`
/// under the package root.
public enum BinaryLocator {
    public static func path(of name: String, file: StaticString = #filePath) throws -> String {
        if name.hasPrefix("/") {
            guard FileManager.default.isExecutableFile(atPath: name) else { throw TestKitError("\(name) is not an executable") }
            return name
        }
        var candidates: [String] = []
        if let dir = ProcessInfo.processInfo.environment["PEERSTORE_BIN_DIR"] { candidates.append(dir) }
        candidates.append(Bundle.main.bundleURL.path)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().path)
        let root = packageRoot(file: file)
        candidates.append(root + "/.build/debug")
        for dir in candidates {
            let path = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw TestKitError("cannot find the \(name) executable; run `swift build` first or set PEERSTORE_BIN_DIR")
    }

    /// The package root, found from a source file's path.
    public static func packageRoot(file: StaticString = #filePath) -> String {
        var url = URL(fileURLWithPath: "\(file)")
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }
}

/// A failure of test scaffolding (not of the code under test).
public struct TestKitError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
