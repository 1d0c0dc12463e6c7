/// `body` for every element, at most `limit` at once, the results in the elements' order; the first error is thrown
/// (and the running ones cancelled), as `forEachConcurrently` does.
public func mapConcurrently<Element: Sendable, Result: Sendable>(
    _ elements: [Element],
    limit: Int,
    isolation: isolated (any Actor)? = #isolation,
    _ body: @escaping @Sendable (Element) async throws -> Result
) async throws -> [Result] {
    var out = [Result?](repeating: nil, count: elements.count)
    try await forEachConcurrently(Array(elements.enumerated()), limit: limit, body: { (i, element) in
        (i, try await body(element))
    }, onResult: { out[$0.0] = $0.1 })
    return out.map { $0! }
}
