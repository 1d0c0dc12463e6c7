import ChordRing

extension WireClient {
    /// Tells the node that the copy of block `id` it sent failed this client's check; true if the node found its copy
    /// damaged too and dropped it (false: intact there, or not held). A node older than reports answers
    /// unknownMessageType: false, and nothing changes there.
    public func reportBadBlock(id: Identifier) async throws -> Bool {
        do {
            guard case .badBlockReportResult(let dropped) = try await request(.badBlockReport(id: id)) else {
                throw WireError(.unexpectedResponse, "unexpected answer to a bad block report from \(address.hostPort)")
            }
            return dropped
        } catch let error as WireError where error.code == .unknownMessageType {
            return false
        }
    }
}
