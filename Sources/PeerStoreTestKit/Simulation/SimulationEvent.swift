import ChordRing

/// One scheduled event of the simulation, ordered by virtual time, then by the order it was scheduled in.
struct SimulationEvent: Comparable {
    enum Payload {
        case deliver(ChordEnvelope)
        case timer(Identifier, ChordTimer)
    }

    /// Boxed, so that the heap moves small values around, not whole envelopes.
    final class Box {
        let payload: Payload
        init(_ payload: Payload) { self.payload = payload }
    }

    var time: Duration
    var sequence: UInt64
    var box: Box
    var payload: Payload { box.payload }

    static func < (a: SimulationEvent, b: SimulationEvent) -> Bool {
        a.time != b.time ? a.time < b.time : a.sequence < b.sequence
    }

    static func == (a: SimulationEvent, b: SimulationEvent) -> Bool {
        a.time == b.time && a.sequence == b.sequence
    }
}
