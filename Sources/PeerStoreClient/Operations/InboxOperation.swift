import PeerStoreBackup

/// `inbox`: the shares others sent this user; `-remove INDEX` removes one (every version of it).
struct InboxOperation: ClientOperation {
    static let name = "inbox"
    static let help = "list the files shared with you (-remove INDEX removes one); restore with getfile -share INDEX"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags, out) = (context.session, context.flags, context.output)
        let (identity, config) = (try session.identity(), try session.config())
        let contacts = try Contacts.load(from: session.home)
        let (shares, rejected, removed) = try await session.withRing(config, identity) { ring in
            let inbox = ShareInbox(ring: ring, identity: identity)
            if let index = flags.sharing.remove {
                let share = try await inbox.share(at: index)
                try await inbox.remove(share)
                return ([ShareInbox.Received](), 0, share as ShareInbox.Received?)
            }
            let (shares, rejected) = try await inbox.list()
            // Older versions of live shares are superseded: removed, so they do not use up the sender's allowance.
            do { _ = try await inbox.pruneSuperseded(shares) } catch { out.note("could not remove older versions of live shares: \(error)") }
            // Kept shares hold this user's own leases, so the sender's prune cannot take their data away.
            do { try await inbox.leaseKept(shares) } catch { out.note("could not renew the leases of your shares (\(error)); run inbox again later") }
            return (shares, rejected, nil)
        }
        if let removed {
            out.say("removed share \(removed.index) (\(removed.grant.shownName)) from your inbox")
            return 0
        }
        func sender(_ g: ShareGrant) -> String { contacts.name(of: g.sender) ?? UserID.encode(publicKey: g.sender) }
        if flags.json {
            out.printJSON(shares.map { InboxJSON($0, sender: sender($0.grant)) })
        } else if shares.isEmpty {
            out.say("your inbox is empty")
        } else {
            for s in shares {
                let g = s.grant
                print("\(s.index)  \(g.shownName)  \(Format.bytes(g.size))  \(Format.date(nanoseconds: g.time))  from \(sender(g))"
                    + (g.version > 1 ? "  (version \(g.version))" : "") + (g.message.isEmpty ? "" : "\n   \(g.shownMessage)"))
            }
        }
        if rejected > 0 {
            out.note("\(rejected == 1 ? "1 inbox entry" : "\(rejected) inbox entries") could not be opened (altered, or not a share for you) and \(rejected == 1 ? "was" : "were") left out")
        }
        return 0
    }
}
