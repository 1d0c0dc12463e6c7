/// Where an entry's payload lies: segment number, byte offset of the payload, payload length.
struct LogLocation: Sendable, Equatable {
    var segment: Int
    var offset: Int
    var length: Int
}
