import Foundation

/// One row of the faults table: a case, how many times it was tried, and what it measured (`lost`, `torn`,
/// `repaired`, `healSeconds`, ...). `record()` prints it as one line and, when `PEERSTORE_FAULTS_REPORT` names a file,
/// appends it there as `case<TAB>runs<TAB>key=value ...`, where `scripts/faults.sh` reads the table from.
public struct FaultFigures: Sendable {
    public let name: String
    public var runs: Int
    public var figures: [(key: String, value: String)] = []

    public init(_ name: String, runs: Int = 0) {
        self.name = name
        self.runs = runs
    }

    /// Sets figure `key` (a later value replaces an earlier one).
    public mutating func set(_ key: String, _ value: some CustomStringConvertible) {
        figures.removeAll { $0.key == key }
        figures.append((key, value.description))
    }

    /// Prints the row and appends it to the report file, if there is one.
    public func record(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let text = figures.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        print("fault figures: \(name) runs=\(runs) \(text)")
        guard let path = environment["PEERSTORE_FAULTS_REPORT"], !path.isEmpty else { return }
        let clean = { (t: String) in t.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
        let line = Data((clean(name) + "\t\(runs)\t" + clean(text) + "\n").utf8)
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: line)
    }
}
