#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// One line for a person out of the errors SwiftNIO raises when a connection or a listener fails: what happened and
/// what to check, never the error's debug description.
public enum NetworkFailureText {
    /// Why connecting to `address` failed.
    public static func connect(_ error: any Error, to address: String) -> String {
        if let connection = error as? NIOConnectionError {
            if connection.dnsAError != nil || connection.dnsAAAAError != nil, connection.connectionErrors.isEmpty {
                return "cannot find the host of \(address): check the name in the address"
            }
            if let first = connection.connectionErrors.first { return connect(first.error, to: address) }
        }
        if let channel = error as? ChannelError, case .connectTimeout(let limit) = channel {
            return "\(address) does not answer (no connection within \(limit.nanoseconds / 1_000_000_000) s): is the address right and the node up?"
        }
        if let io = error as? IOError { return errno(io.errnoCode, address) }
        return "cannot reach \(address): \(error)"
    }

    /// Why a connection that was open failed.
    public static func connection(_ error: any Error, to address: String) -> String {
        if let io = error as? IOError { return errno(io.errnoCode, address) }
        if let channel = error as? ChannelError {
            switch channel {
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed:
                return "the connection to \(address) closed: the node stopped or dropped it"
            default:
                break
            }
        }
        return "the connection to \(address) failed: \(error)"
    }

    /// Why listening on `address` failed.
    public static func listen(_ error: any Error, on address: String, port: Int) -> String {
        guard let io = error as? IOError else { return "cannot listen on \(address): \(error)" }
        switch io.errnoCode {
        case EADDRINUSE: return "port \(port) is taken (something already listens on \(address)): stop it or choose another -addr"
        case EADDRNOTAVAIL: return "\(address) is not an address of this machine: choose another -addr"
        case EACCES: return "may not listen on \(address): ports below 1024 need privileges; choose another -addr"
        default: return "cannot listen on \(address): \(String(cString: strerror(io.errnoCode)))"
        }
    }

    private static func errno(_ code: CInt, _ address: String) -> String {
        switch code {
        case ECONNREFUSED: return "nothing listens on \(address): is the node running there?"
        case ECONNRESET, EPIPE: return "\(address) reset the connection: the node stopped or dropped it"
        case ETIMEDOUT: return "\(address) does not answer (timed out): is the address right and the node up?"
        case EHOSTUNREACH, ENETUNREACH: return "no route to \(address): check the address and the network"
        default: return "cannot reach \(address): \(String(cString: strerror(code)))"
        }
    }
}
