import NIOConcurrencyHelpers

/// The bytes of frames begun and not yet complete that every connection of a process may hold together. A connection
/// reserves a frame's announced length when it begins and gives it back when it completes or the connection closes; a
/// reservation that does not fit is refused (the connection is then closed). Shared by all connections of a server.
public final class PartialFrameBudget: Sendable {
    public let capacity: Int
    private let held = NIOLockedValueBox(0)

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Bytes reserved now.
    public var reserved: Int { held.withLockedValue { $0 } }

    /// Reserves `bytes` if they fit; false (and nothing reserved) if not.
    public func reserve(_ bytes: Int) -> Bool {
        held.withLockedValue { held in
            guard bytes >= 0, held + bytes <= capacity else { return false }
            held += bytes
            return true
        }
    }

    /// Gives back `bytes` reserved before.
    public func release(_ bytes: Int) {
        held.withLockedValue { $0 = max(0, $0 - bytes) }
    }
}
