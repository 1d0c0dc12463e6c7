import Foundation
import BlockStore

/// What one scrub pass found: counts only (never ids), for the log, the metrics and `-operation scrub`.
public struct ScrubReport: Sendable, Equatable {
    /// Entries read and checked (blocks and current records).
    public var entries = 0
    /// Payload bytes read.
    public var bytes = 0
    public var damagedBlocks = 0
    public var damagedRecords = 0
    /// Damaged copies this pass dropped (the rest went meanwhile by a read or a compaction).
    public var dropped = 0
    /// Entries that could not be read at all (an I/O error): left as they are, counted.
    public var unreadable = 0
    /// Entries the store's start-up skipped as damaged (an offline pass opens the store, which checks the newest
    /// segment in full): not held, so nothing to drop.
    public var damagedAtOpen = 0
    /// Whether the pass read every entry planned (false: the node stopped, or the store closed, meanwhile).
    public var complete = true
    public var seconds = 0.0

    public init() {}

    /// Everything found damaged.
    public var damaged: Int { damagedBlocks + damagedRecords + damagedAtOpen }

    /// Counts one finding for a target of `kind`.
    public mutating func add(_ finding: ScrubFinding, kind: ScrubTarget.Kind) {
        switch finding {
        case .absent:
            return
        case .intact(let n):
            bytes += n
        case .damaged(let n, let wasDropped):
            bytes += n
            if kind == .block { damagedBlocks += 1 } else { damagedRecords += 1 }
            if wasDropped { dropped += 1 }
        }
        entries += 1
    }

    /// The result in a few lines, for a person.
    public var lines: [String] {
        var out = [
            "entries  \(entries) (\(bytes) bytes)",
            "damaged  \(damaged) (blocks \(damagedBlocks), records \(damagedRecords), skipped at open \(damagedAtOpen))",
            "dropped  \(dropped)",
        ]
        if unreadable > 0 { out.append("unreadable  \(unreadable)") }
        if !complete { out.append("incomplete: the pass stopped before the end") }
        out.append("seconds  " + String(format: "%.2f", seconds))
        return out
    }
}
