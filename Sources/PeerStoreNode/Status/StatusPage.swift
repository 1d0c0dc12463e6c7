import Foundation
import PeerStoreWire

/// The node's status page: one self-contained HTML document (no scripts, no outside files; it reloads itself every
/// `refreshSeconds`) with the ring drawn as a circle, each node at its id with its address, its share of the ring (an
/// arc) and what it stores, and a table of the same with each node's recent activity and replica health. Pure:
/// `html(_:)` of a `RingView`.
public enum StatusPage {
    /// The drawing's height and the circle's radius; the drawing is `margin` wider on each side, for labels.
    static let size = 600.0, radius = 170.0, margin = 150.0

    public static let refreshSeconds = 10

    public static func html(_ view: RingView, title: String = "PeerStore ring") -> String {
        var arcs = "", dots = ""
        let levels = labelLevels(view.nodes.map(\.position))
        for (i, n) in view.nodes.enumerated() {
            arcs += arc(from: n.position - n.share, to: n.position, hue: hue(i, of: view.nodes.count))
            let (x, y) = point(n.position, r: radius)
            let colour = n.problems.isEmpty ? "#2a7" : "#d43"
            dots += """
                <g class="node" data-id="\(n.id)"><circle cx="\(f(x))" cy="\(f(y))" r="8" fill="\(colour)" stroke="#fff" stroke-width="2">\
                <title>\(escape(n.address))</title></circle>\(label(n.position, level: levels[i], address: n.address, size: n.bytes))</g>

                """
        }
        let rows = view.nodes.enumerated().map { i, n in
            "<tr class=\"node-row\"><td><span class=\"swatch\" style=\"background:hsl(\(hue(i, of: view.nodes.count)),60%,60%)\"></span>"
                + "\(escape(n.address))</td><td><code>\(n.id.prefix(12))</code></td>"
                + "<td>\(String(format: "%.1f", n.share * 100)) %</td><td>\(n.blocks)</td><td>\(bytes(n.bytes))</td>"
                + "<td>\(n.successorsKnown)</td>" + activityCells(n.activity)
                + "<td>\(n.problems.isEmpty ? "ok" : escape(n.problems.joined(separator: "; ")))</td></tr>"
        }.joined(separator: "\n")
        let state = view.complete
            ? (view.healthy ? "healthy" : "reachable, with problems") : "partial: a node did not answer"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="\(refreshSeconds)"><title>\(escape(title))</title>
            <style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left;white-space:nowrap}.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.5em;border-radius:2px}</style>
            </head><body>
            <h1>\(escape(title))</h1>
            <p id="summary">\(view.nodes.count) node\(view.nodes.count == 1 ? "" : "s"), \(state); walked at \(Date(timeIntervalSince1970: TimeInterval(view.takenAt)))</p>
            <svg id="ring" width="\(Int(size + 2 * margin))" height="\(Int(size))" viewBox="0 0 \(Int(size + 2 * margin)) \(Int(size))" xmlns="http://www.w3.org/2000/svg">
            <circle cx="\(f(centreX))" cy="\(f(size / 2))" r="\(f(radius))" fill="none" stroke="#ccc" stroke-width="2"/>
            \(arcs)\(dots)</svg>
            <table><thead><tr><th>address</th><th>id</th><th>share</th><th>blocks</th><th>bytes</th><th>successors</th><th>puts/min</th><th>gets/min</th><th>last repair</th><th>up</th><th>health</th></tr></thead>
            <tbody>
            \(rows)
            </tbody></table>
            <p><a href="/status.json">status.json</a></p>
            </body></html>

            """
    }

    /// The page when the ring could not be walked (this node does not listen yet, or does not answer itself).
    public static func unavailable(_ error: any Error, title: String = "PeerStore ring") -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="\(refreshSeconds)"><title>\(escape(title))</title></head>
        <body><h1>\(escape(title))</h1><p id="summary">The ring could not be walked from this node: \(escape("\(error)")).
        This page tries again every \(refreshSeconds) s.</p></body></html>

        """
    }
}
