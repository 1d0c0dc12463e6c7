import ChordRing
import Testing

@Suite struct PlacementTests {
    let nodes = [30, 10, 20, 40].map { NodeIdentity(id: id(UInt8($0)), address: "127.0.0.1:\(3000 + $0)") }

    func ids(_ list: [NodeIdentity]) -> [Identifier] { list.map(\.id) }

    @Test func successorIsTheOwner() {
        let placement = SortedRingPlacement(nodes: nodes)
        #expect(ids(placement.replicas(for: id(15), count: 1)) == [id(20)])
        #expect(ids(placement.replicas(for: id(20), count: 1)) == [id(20)], "an id equal to a node's is owned by that node")
        #expect(ids(placement.replicas(for: id(21), count: 1)) == [id(30)])
        #expect(ids(placement.replicas(for: .zero, count: 1)) == [id(10)])
        #expect(ids(placement.replicas(for: id(10), count: 1)) == [id(10)])
    }

    @Test func wrapsAroundPastTheLargestNode() {
        let placement = SortedRingPlacement(nodes: nodes)
        #expect(ids(placement.replicas(for: id(41), count: 1)) == [id(10)])
        #expect(ids(placement.replicas(for: maxID, count: 3)) == [id(10), id(20), id(30)])
        #expect(ids(placement.replicas(for: id(35), count: 3)) == [id(40), id(10), id(20)])
    }

    @Test func kDistinctNodesInRingOrder() {
        let placement = SortedRingPlacement(nodes: nodes)
        for _ in 0..<200 {
            let key = randomID()
            for k in 1...6 {
                let replicas = placement.replicas(for: key, count: k)
                #expect(replicas.count == min(k, nodes.count))
                #expect(Set(replicas).count == replicas.count)
                // The first is the successor: key in (predecessor, first].
                let sorted = ids(placement.nodes)
                let first = replicas[0].id
                let index = sorted.firstIndex(of: first)!
                let predecessor = sorted[(index + sorted.count - 1) % sorted.count]
                #expect(key.isBetweenRightInclusive(predecessor, first))
                // Then clockwise.
                for (i, node) in replicas.enumerated() {
                    #expect(node.id == sorted[(index + i) % sorted.count])
                }
            }
        }
    }

    @Test func duplicateNodesAreNotCountedTwice() {
        let placement = SortedRingPlacement(nodes: nodes + nodes.prefix(2))
        let replicas = placement.replicas(for: id(5), count: 4)
        #expect(ids(replicas) == [id(10), id(20), id(30), id(40)])
        #expect(placement.replicas(for: id(5), count: 10).count == 4)
    }

    @Test func emptyRingAndZeroCount() {
        #expect(SortedRingPlacement(nodes: []).replicas(for: id(1), count: 3).isEmpty)
        #expect(SortedRingPlacement(nodes: nodes).replicas(for: id(1), count: 0).isEmpty)
        #expect(SortedRingPlacement(nodes: nodes).replicas(for: id(1), count: -1).isEmpty)
    }

    @Test func singleNodeOwnsEverything() {
        let me = NodeIdentity(id: id(99), address: "127.0.0.1:3001")
        let placement = SingleNodePlacement(node: me)
        #expect(placement.replicas(for: randomID(), count: 3) == [me])
        #expect(placement.replicas(for: .zero, count: 1) == [me])
        #expect(placement.replicas(for: maxID, count: 0).isEmpty)
        #expect(SortedRingPlacement(nodes: [me]).replicas(for: maxID, count: 3) == [me])
    }
}
