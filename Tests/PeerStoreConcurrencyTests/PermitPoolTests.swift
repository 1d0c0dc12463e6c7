import PeerStoreConcurrency
import Testing

struct PermitPoolTests {
    /// Large files take more permits: with 16 permits, at most two 6-permit readers run at once, and small ones fill in.
    @Test func weightedPermitsBoundWhatRunsAtOnce() async {
        let limit = PermitPool(permits: 16)
        actor Gauge {
            var now = 0
            var peak = 0
            func enter(_ w: Int) { now += w; peak = max(peak, now) }
            func leave(_ w: Int) { now -= w }
        }
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<60 {
                let weight = i % 3 == 0 ? 6 : 1
                #expect(await limit.acquire(weight))
                group.addTask {
                    await gauge.enter(weight)
                    try? await Task.sleep(nanoseconds: UInt64.random(in: 0...200_000))
                    await gauge.leave(weight)
                    await limit.release(weight)
                }
            }
        }
        #expect(await gauge.peak <= 16)
        #expect(await gauge.peak >= 7)
        #expect(await gauge.now == 0)
    }

    /// A producer waiting for permits that will not come back (its consumer stopped) is let through by `close`, with
    /// false, and so is every later acquire; a request heavier than the pool waits for all of it, not forever.
    @Test func closingLetsWaitersThroughWithFalse() async {
        let pool = PermitPool(permits: 4)
        #expect(await pool.acquire(100))  // capped at the capacity: takes all 4
        async let waiting = pool.acquire(1)
        while await pool.waiting == 0 { await Task.yield() }
        await pool.close()
        #expect(await waiting == false)
        #expect(await pool.acquire(1) == false)
    }

    /// Waiters are served in order: a heavy one at the head is not overtaken by light ones that would fit.
    @Test func waitersAreServedFirstComeFirstServed() async {
        let pool = PermitPool(permits: 4)
        #expect(await pool.acquire(3))
        let order = OrderLog()
        async let heavy: Void = { _ = await pool.acquire(4); await order.add("heavy") }()
        while await pool.waiting < 1 { await Task.yield() }
        async let light: Void = { _ = await pool.acquire(1); await order.add("light") }()
        while await pool.waiting < 2 { await Task.yield() }
        #expect(await order.names.isEmpty)  // one permit is free, but the light one queues behind the heavy one
        await pool.release(3)
        await heavy
        #expect(await order.names == ["heavy"])
        await pool.release(4)
        await light
        #expect(await order.names == ["heavy", "light"])
    }
}

private actor OrderLog {
    var names: [String] = []
    func add(_ name: String) { names.append(name) }
}
