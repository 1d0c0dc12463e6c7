import Foundation

/// The node's status page: one self-contained HTML document (no scripts, no outside files) with the ring drawn as a
/// circle, each node at its id with its address, its share of the ring (an arc) and what it stores, and a table of
/// the same. Pure: `html(_:)` of a `RingView`.
public enum StatusPage {
    static let size = 560.0, radius = 180.0

    public static func html(_ view: RingView, title: String = "PeerStore ring") -> String {
        let c = size / 2
        var arcs = "", dots = ""
        for (i, n) in view.nodes.enumerated() {
            let hue = Int(Double(i) * 360 / Double(max(1, view.nodes.count)))
            arcs += arc(from: n.position - n.share, to: n.position, hue: hue)
            let (x, y) = point(n.position, r: radius)
            let (lx, ly) = point(n.position, r: radius + 34)
            let colour = n.problems.isEmpty ? "#2a7" : "#d43"
            dots += """
                <g class="node" data-id="\(n.id)"><circle cx="\(f(x))" cy="\(f(y))" r="9" fill="\(colour)"><title>\(escape(n.address))</title></circle>\
                <text x="\(f(lx))" y="\(f(ly))" text-anchor="middle" font-size="12">\(escape(n.address))</text></g>

                """
        }
        let rows = view.nodes.map { n in
            "<tr class=\"node-row\"><td>\(escape(n.address))</td><td><code>\(n.id.prefix(12))</code></td>"
                + "<td>\(String(format: "%.1f", n.share * 100)) %</td><td>\(n.blocks)</td><td>\(n.bytes)</td>"
                + "<td>\(n.successorsKnown)</td><td>\(n.problems.isEmpty ? "ok" : escape(n.problems.joined(separator: "; ")))</td></tr>"
        }.joined(separator: "\n")
        let state = view.complete
            ? (view.healthy ? "healthy" : "reachable, with problems") : "partial: a node did not answer"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}</style>
            </head><body>
            <h1>\(escape(title))</h1>
            <p id="summary">\(view.nodes.count) node\(view.nodes.count == 1 ? "" : "s"), \(state); walked at \(Date(timeIntervalSince1970: TimeInterval(view.takenAt)))</p>
            <svg id="ring" width="\(Int(size))" height="\(Int(size))" viewBox="0 0 \(Int(size)) \(Int(size))" xmlns="http://www.w3.org/2000/svg">
            <circle cx="\(f(c))" cy="\(f(c))" r="\(f(radius))" fill="none" stroke="#ccc" stroke-width="2"/>
            \(arcs)\(dots)</svg>
            <table><thead><tr><th>address</th><th>id</th><th>share</th><th>blocks</th><th>bytes</th><th>successors</th><th>health</th></tr></thead>
            <tbody>
            \(rows)
            </tbody></table>
            <p><a href="/status.json">status.json</a></p>
            </body></html>

            """
    }

    /// A point on the circle at a fraction of the ring (0 at the top, clockwise).
    static func point(_ fraction: Double, r: Double) -> (Double, Double) {
        let angle = fraction * 2 * Double.pi - Double.pi / 2
        return (size / 2 + r * cos(angle), size / 2 + r * sin(angle))
    }

    static func arc(from start: Double, to end: Double, hue: Int) -> String {
        let span = end - start
        guard span > 0.0005 else { return "" }
        if span >= 0.9995 {
            return "<circle cx=\"\(f(size / 2))\" cy=\"\(f(size / 2))\" r=\"\(f(radius))\" fill=\"none\" stroke=\"hsl(\(hue),60%,60%)\" stroke-width=\"10\" opacity=\".5\"/>\n"
        }
        let (x0, y0) = point(start, r: radius), (x1, y1) = point(end, r: radius)
        return "<path d=\"M \(f(x0)) \(f(y0)) A \(f(radius)) \(f(radius)) 0 \(span > 0.5 ? 1 : 0) 1 \(f(x1)) \(f(y1))\" fill=\"none\" stroke=\"hsl(\(hue),60%,60%)\" stroke-width=\"10\" opacity=\".5\"/>\n"
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
