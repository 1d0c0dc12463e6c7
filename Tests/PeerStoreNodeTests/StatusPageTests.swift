import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreWire
import Testing

@testable import PeerStoreNode

/// The status page's model and drawing, without sockets: shares add up to the whole ring, problems are named, every
/// node is drawn and listed once, and addresses are escaped.
@Suite struct StatusPageTests {
    static func ring(_ n: Int) -> [NodeStatus] {
        let ids = (0..<n).map { BlockID.of([UInt8($0)]) }.sorted()
        let nodes = ids.enumerated().map { NodeIdentity(id: $1, address: "127.0.0.1:\(4000 + $0)") }
        return nodes.indices.map { i in
            NodeStatus(node: nodes[i], predecessor: nodes[(i + n - 1) % n], successors: [nodes[(i + 1) % n], nodes[(i + 2) % n]],
                       blocks: UInt64(10 * i), bytes: UInt64(1000 * i), replicas: 3)
        }
    }

    @Test func sharesCoverTheRingAndAHealthyRingHasNoProblems() {
        let view = RingView(statuses: Self.ring(3), complete: true, takenAt: 0)
        #expect(view.nodes.count == 3)
        #expect(abs(view.nodes.map(\.share).reduce(0, +) - 1) < 1e-9)
        #expect(view.healthy, "\(view.nodes.map(\.problems))")
        #expect(view.nodes.map(\.position) == view.nodes.map(\.position).sorted())
    }

    @Test func problemsAreNamed() {
        var statuses = Self.ring(3)
        statuses[1].predecessor = nil
        statuses[2].successors = [statuses[0].node]
        let view = RingView(statuses: statuses, complete: true, takenAt: 0)
        #expect(view.nodes[1].problems == ["no predecessor yet"])
        #expect(view.nodes[2].problems == ["knows 1 successors for 3 copies"])
        #expect(!view.healthy)
        #expect(!RingView(statuses: Self.ring(3), complete: false, takenAt: 0).healthy)
    }

    @Test func thePageDrawsAndListsEveryNodeOnceAndEscapes() throws {
        var statuses = Self.ring(3)
        statuses[0].node.address = "<script>x</script>"
        let page = StatusPage.html(RingView(statuses: statuses, complete: true, takenAt: 0))
        #expect(page.components(separatedBy: "<g class=\"node\"").count - 1 == 3)
        #expect(page.components(separatedBy: "<tr class=\"node-row\"").count - 1 == 3)
        #expect(!page.contains("<script>") && page.contains("&lt;script&gt;"))
        #expect(page.contains("3 nodes, healthy"))
        let json = try JSONEncoder().encode(RingView(statuses: statuses, complete: true, takenAt: 7))
        #expect(try JSONDecoder().decode(RingView.self, from: json).nodes.count == 3)
    }

    @Test func activityAndReplicaHealthAreShown() {
        var statuses = Self.ring(3)
        statuses[0].activity = NodeActivity(uptime: 7200, putsLastMinute: 41, getsLastMinute: 3, requests: 99,
                                            lastRepairAgo: 4, replicaDeficit: 0, repairBacklog: 0)
        statuses[1].activity = NodeActivity(uptime: 30, putsLastMinute: 0, getsLastMinute: 0, requests: 1,
                                            lastRepairAgo: 2, replicaDeficit: 6, repairBacklog: 2)
        let view = RingView(statuses: statuses, complete: true, takenAt: 0)
        #expect(view.nodes[0].problems.isEmpty)
        #expect(view.nodes[1].problems == ["2 replica copies not yet repaired"])
        let page = StatusPage.html(view)
        #expect(page.contains("<td>41</td><td>3</td><td>4 s ago, all copies in place</td><td>2 h</td>"))
        #expect(page.contains("2 s ago, 6 missing, 2 left"))
        #expect(page.contains("<td>-</td><td>-</td><td>-</td><td>-</td>"), "a node of an older build")
        #expect(page.contains("2 replica copies not yet repaired") && page.contains("reachable, with problems"))
        #expect(page.contains("<meta http-equiv=\"refresh\""))
    }

    @Test func sizesAndDurationsReadAsPeopleReadThem() {
        #expect(StatusPage.bytes(812) == "812 B")
        #expect(StatusPage.bytes(3 * 1024 * 1024 + 400 * 1024) == "3.4 MiB")
        #expect(StatusPage.duration(42) == "42 s" && StatusPage.duration(420) == "7 min")
        #expect(StatusPage.duration(3 * 3600) == "3 h" && StatusPage.duration(2 * 86400) == "2 d")
        #expect(StatusPage.unavailable(NodeError(.notListening, "the node is not listening yet")).contains("not listening"))
    }
}

/// Labels of neighbours on the ring step outwards so that they do not overlap.
@Suite struct StatusPageLabelTests {
    @Test func closeNeighboursStepOutwards() {
        #expect(StatusPage.labelLevels([]) == [])
        #expect(StatusPage.labelLevels([0.1, 0.5, 0.9]) == [0, 0, 0])
        #expect(StatusPage.labelLevels([0.10, 0.12, 0.13, 0.14, 0.6]) == [0, 1, 2, 0, 0])
    }

    @Test func labelsSitOutsideTheCircleOnTheirSide() {
        let right = StatusPage.label(0.25, level: 0, address: "a", size: 1)
        let left = StatusPage.label(0.75, level: 1, address: "b", size: 1)
        let top = StatusPage.label(0, level: 0, address: "c", size: 1)
        #expect(right.contains("text-anchor=\"start\"") && left.contains("text-anchor=\"end\"") && top.contains("text-anchor=\"middle\""))
        let x = { (s: String) -> Double in
            Double(s.split(separator: "\"")[1])!
        }
        #expect(x(right) > StatusPage.centreX + StatusPage.radius && x(left) < StatusPage.centreX - StatusPage.radius - 34)
    }
}
