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
}
