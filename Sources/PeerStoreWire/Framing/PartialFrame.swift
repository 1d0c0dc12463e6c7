/// What the frame decoder tells the handlers after it about a frame it has begun but not finished receiving
/// (a user inbound event): `PartialFrameGuard` holds each such frame to a deadline and to a budget shared by every
/// connection of the process, so that peers that announce large frames and then stall cannot hold memory for long.
public enum PartialFrame: Equatable, Sendable {
    /// A frame of `length` bytes (after its length prefix) has begun and is not complete yet.
    case started(length: Int)
    /// The frame begun last is complete (it was passed on).
    case completed
}
