import PeerStoreWire

/// The address a node tells the ring (and its clients, through the status walk) it is reached at: the address it
/// listens on, or `-advertiseAddr`. Never a wildcard (0.0.0.0 or ::, which nobody can connect to), and a loopback
/// address only for a node that listens on loopback (a local ring): a node on another host would connect to itself.
public enum AdvertisedAddress {
    /// Checks the listen and advertise addresses before anything is opened.
    public static func check(listen: PeerAddress, advertise: PeerAddress?, initialPeer: PeerAddress? = nil) throws {
        _ = try resolve(listen: listen, boundPort: max(1, listen.port), advertise: advertise, initialPeer: initialPeer)
    }

    /// The address to advertise once the listener is bound to `boundPort`. An advertised port of 0 means the bound one.
    /// A loopback address is refused when the initial peer is on another host: it would be told to connect to itself.
    public static func resolve(listen: PeerAddress, boundPort: Int, advertise: PeerAddress?, initialPeer: PeerAddress? = nil) throws
        -> PeerAddress
    {
        let advertised = try choose(listen: listen, boundPort: boundPort, advertise: advertise)
        if let peer = initialPeer, isLoopback(advertised.host), !isLoopback(peer.host) {
            throw NodeError(
                .badAddress,
                "this node would tell its initial peer \(peer.hostPort), on another host, to reach it at \(advertised), a loopback address: listen on this host's address (-addr HOST:PORT), or on 0.0.0.0 with -advertiseAddr HOST:PORT")
        }
        return advertised
    }

    private static func choose(listen: PeerAddress, boundPort: Int, advertise: PeerAddress?) throws -> PeerAddress {
        guard let advertise else {
            if isWildcard(listen.host) {
                throw NodeError(
                    .badAddress,
                    "-addr \(listen) listens on every interface, but other nodes and clients need one address to reach this node at: add -advertiseAddr HOST:\(listen.port == 0 ? "PORT" : String(listen.port)) (this host's address on the ring's network)")
            }
            return PeerAddress(host: listen.host, port: boundPort)
        }
        if isWildcard(advertise.host) {
            throw NodeError(.badAddress, "-advertiseAddr \(advertise) is a wildcard, which nobody can connect to: give this host's address on the ring's network")
        }
        if isLoopback(advertise.host) && !isLoopback(listen.host) {
            throw NodeError(
                .badAddress,
                "-advertiseAddr \(advertise) is a loopback address, which nodes on other hosts cannot reach (they would connect to themselves): give this host's address on the ring's network, or listen on \(advertise.host) for a ring on this machine only")
        }
        return PeerAddress(host: advertise.host, port: advertise.port == 0 ? boundPort : advertise.port)
    }

    /// 0.0.0.0 or :: (any address of this host).
    public static func isWildcard(_ host: String) -> Bool {
        ["0.0.0.0", "::", "0:0:0:0:0:0:0:0", "*", ""].contains(host)
    }

    /// 127.0.0.0/8, ::1 or localhost: reachable from this host only.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" || host.hasPrefix("127.")
    }
}
