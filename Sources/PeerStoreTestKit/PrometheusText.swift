/// Prometheus text exposition format (0.0.4), parsed strictly enough for tests: every line is a `# HELP`, a
/// `# TYPE`, another comment, blank, or a sample `name{label="value",...} value [timestamp]`, and every sample belongs
/// to a family whose TYPE came first (a histogram's `_bucket`, `_sum` and `_count` included).
public struct PrometheusText: Sendable {
    /// One sample line.
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double

        public init(name: String, labels: [String: String], value: Double) {
            self.name = name
            self.labels = labels
            self.value = value
        }
    }

    public private(set) var samples: [Sample] = []
    /// Each family's declared type.
    public private(set) var types: [String: String] = [:]

    /// Parses `text`; throws on the first line that is not Prometheus text, naming it.
    public init(_ text: String) throws {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            func fail(_ why: String) -> TestKitError { TestKitError("line \(number + 1) '\(line)': \(why)") }
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let words = line.split(separator: " ", maxSplits: 3)
                guard words.count >= 2, words[0] == "#" else { continue }
                if words[1] == "TYPE" {
                    guard words.count == 4, Self.isName(words[2]),
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(words[3]) else { throw fail("bad TYPE") }
                    guard types[String(words[2])] == nil else { throw fail("a second TYPE") }
                    types[String(words[2])] = String(words[3])
                } else if words[1] == "HELP" {
                    guard words.count >= 3, Self.isName(words[2]) else { throw fail("bad HELP") }
                }
                continue
            }
            guard let sample = Self.sample(line) else { throw fail("not a sample") }
            guard family(of: sample.name) != nil else { throw fail("no TYPE before it") }
            samples.append(sample)
        }
    }

    /// The family a sample name belongs to, if one was declared.
    public func family(of name: String) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let type = types[base], type == "histogram" || type == "summary" { return base }
        }
        return nil
    }

    /// The sum of every sample named `name` whose labels include `labels`.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
        return matching.isEmpty ? nil : matching.reduce(0) { $0 + $1.value }
    }

    static func isName(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first == "_" || first == ":" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
    }

    static func sample(_ line: Substring) -> Sample? {
        var rest = line[...]
        let name = rest.prefix { $0 != "{" && $0 != " " }
        guard isName(name) else { return nil }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let key = rest.prefix { $0 != "=" }
                guard isName(key) else { return nil }
                rest = rest.dropFirst(key.count)
                guard rest.hasPrefix("=\"") else { return nil }
                rest = rest.dropFirst(2)
                var value = ""
                while let c = rest.first, c != "\"" {
                    rest = rest.dropFirst()
                    if c == "\\" {
                        guard let escaped = rest.first else { return nil }
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(c)
                    }
                }
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                labels[String(key)] = value
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { return nil }
            }
            rest = rest.dropFirst()
        }
        let fields = rest.split(separator: " ")
        guard rest.first == " ", (1...2).contains(fields.count), let value = number(fields[0]) else { return nil }
        if fields.count == 2, Int64(fields[1]) == nil { return nil }
        return Sample(name: String(name), labels: labels, value: value)
    }

    static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }
}
