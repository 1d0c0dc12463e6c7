import BlockStore
import ChordRing
import Foundation

/// What the writers of a crash test sent and what the server acknowledged, shared between writer tasks.
final class CrashLedger: @unchecked Sendable {
    private let lock = NSLock()
    /// Blocks whose put was acknowledged: they must be readable and identical after any crash.
    private(set) var acknowledged: [Identifier: [UInt8]] = [:]
    /// Blocks sent without an acknowledgement before the crash: absent or whole.
    private(set) var inDoubt: [Identifier: [UInt8]] = [:]
    private(set) var totalBytes = 0
    /// Counts for the summary: blocks found in doubt after a crash, and how many of them were whole.
    private(set) var inDoubtSeen = 0
    private(set) var inDoubtPresent = 0

    func sending(_ id: Identifier, _ bytes: [UInt8]) {
        lock.lock(); defer { lock.unlock() }
        inDoubt[id] = bytes
        totalBytes += bytes.count
    }

    func acknowledged(_ id: Identifier) {
        lock.lock(); defer { lock.unlock() }
        if let bytes = inDoubt.removeValue(forKey: id) { acknowledged[id] = bytes }
    }

    /// After checking: an in-doubt block found whole is durable from now on; one found absent is forgotten.
    func settle(present: Set<Identifier>) {
        lock.lock(); defer { lock.unlock() }
        inDoubtSeen += inDoubt.count
        inDoubtPresent += present.count
        for (id, bytes) in inDoubt where present.contains(id) { acknowledged[id] = bytes }
        inDoubt = [:]
    }

    var snapshot: (acknowledged: [Identifier: [UInt8]], inDoubt: [Identifier: [UInt8]]) {
        lock.lock(); defer { lock.unlock() }
        return (acknowledged, inDoubt)
    }

    var bytesSent: Int {
        lock.lock(); defer { lock.unlock() }
        return totalBytes
    }
}
