#if canImport(Glibc)
import Glibc
#endif
import NIOCore

extension HTTPServerConfiguration {
    /// What to tell a person whose server could not listen: the address, and what to do, for the
    /// socket errors that have a remedy; nil for any other error.
    public func listenFailure(_ error: any Error) -> String? {
        guard let error = error as? IOError else { return nil }
        let address = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        switch error.errnoCode {
        case EADDRINUSE:
            return "cannot listen on \(address): the address is in use (another serve or demo?); --http HOST:PORT picks another, port 0 any free one"
        case EACCES:
            return "cannot listen on \(address): permission denied (ports below 1024 need privileges); --http HOST:PORT picks another"
        case EADDRNOTAVAIL:
            return "cannot listen on \(address): no interface of this machine has that address"
        default:
            return nil
        }
    }
}
