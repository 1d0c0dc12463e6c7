/// One document an `HTTPEndpoint` serves at `GET path`, made afresh for each request.
public struct HTTPPage: Sendable {
    /// What a request for the page is answered with.
    public struct Answer: Sendable {
        /// The HTTP status code (200, 503, ...).
        public var status: Int
        public var contentType: String
        public var body: [UInt8]

        public init(status: Int = 200, contentType: String, body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    /// The path, from the root: `/metrics`, `/`.
    public let path: String
    public let answer: @Sendable () async -> Answer

    public init(path: String, answer: @escaping @Sendable () async -> Answer) {
        self.path = path
        self.answer = answer
    }
}
