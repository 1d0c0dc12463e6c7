import Foundation

/// The ring's drawing: points on the circle, arcs of ownership, labels that do not overlap.
extension StatusPage {
    /// The circle's centre across: room on both sides for the labels.
    static var centreX: Double { margin + size / 2 }

    /// A point on the circle at a fraction of the ring (0 at the top, clockwise).
    static func point(_ fraction: Double, r: Double) -> (Double, Double) {
        let angle = fraction * 2 * Double.pi - Double.pi / 2
        return (centreX + r * cos(angle), size / 2 + r * sin(angle))
    }

    /// How far out each node's label goes (0, 1, 2): a node close to the one before it on the ring has its label one
    /// step further out than that one's, so that labels of neighbours do not overlap. Positions are in ring order.
    static func labelLevels(_ positions: [Double], gap: Double = 0.05) -> [Int] {
        var levels: [Int] = []
        for (i, p) in positions.enumerated() {
            guard i > 0, p - positions[i - 1] < gap else { levels.append(0); continue }
            levels.append((levels[i - 1] + 1) % 3)
        }
        return levels
    }

    /// A node's label (address over size), beside its point and on the outside of the circle: anchored at its start
    /// on the right half, at its end on the left, centred near the top and bottom.
    static func label(_ position: Double, level: Int, address: String, size bytes: UInt64) -> String {
        let (x, y) = point(position, r: radius + 16 + Double(level) * 34)
        let dx = x - centreX
        let anchor = abs(dx) < radius * 0.3 ? "middle" : dx > 0 ? "start" : "end"
        let top = y < size / 2 ? y - 14 : y + 4
        return "<text x=\"\(f(x))\" y=\"\(f(top))\" text-anchor=\"\(anchor)\" font-size=\"12\">\(escape(address))"
            + "<tspan x=\"\(f(x))\" dy=\"14\" fill=\"#666\">\(self.bytes(bytes))</tspan></text>"
    }

    /// A node's colour: its arc, and the swatch of its row in the table.
    static func hue(_ index: Int, of count: Int) -> Int { Int(Double(index) * 360 / Double(max(1, count))) }

    static func arc(from start: Double, to end: Double, hue: Int) -> String {
        let span = end - start
        guard span > 0.0005 else { return "" }
        if span >= 0.9995 {
            return "<circle cx=\"\(f(centreX))\" cy=\"\(f(size / 2))\" r=\"\(f(radius))\" fill=\"none\" stroke=\"hsl(\(hue),60%,60%)\" stroke-width=\"10\" opacity=\".5\"/>\n"
        }
        let (x0, y0) = point(start, r: radius), (x1, y1) = point(end, r: radius)
        return "<path d=\"M \(f(x0)) \(f(y0)) A \(f(radius)) \(f(radius)) 0 \(span > 0.5 ? 1 : 0) 1 \(f(x1)) \(f(y1))\" fill=\"none\" stroke=\"hsl(\(hue),60%,60%)\" stroke-width=\"10\" opacity=\".5\"/>\n"
    }
}
