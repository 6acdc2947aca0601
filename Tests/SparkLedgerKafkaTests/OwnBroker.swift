import Foundation
import Glibc
import SparkLedgerKafka

/// A Tansu broker a test starts and stops itself (on a port of its own), for broker trouble.
/// Tansu keeps topics in memory: a restarted broker is empty.
final class OwnBroker {
    let port: UInt16
    private var process: Process?

    /// A free port, and no broker on it yet. Tansu exits quietly when its port is taken, and then
    /// whatever holds the port answers instead.
    init() throws {
        port = try Self.freePort()
    }

    var address: String { "127.0.0.1:\(port)" }

    var client: KafkaClientConfiguration {
        KafkaClientConfiguration(brokers: address, options: ["session.timeout.ms": "2000", "heartbeat.interval.ms": "500"])
    }

    func start() async throws {
        guard let binary = ProcessInfo.processInfo.environment["SPARKLEDGER_TEST_TANSU"] else {
            throw TestBroker.Missing(description: "SPARKLEDGER_TEST_TANSU is not set: run the tests with script/test")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let url = "tcp://\(address)"
        process.arguments = ["broker", "--listener-url", url, "--advertised-listener-url", url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(10)
        while !Self.accepts(port) {
            guard process.isRunning, ContinuousClock.now < deadline else { throw TestBroker.Missing(description: "Tansu did not start on \(address)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        // Something answers on the port: make sure it is this Tansu, not a process that took
        // the port while the broker was down (Tansu exits 0 when it cannot bind).
        try await Task.sleep(for: .milliseconds(200))
        guard process.isRunning else { throw TestBroker.Missing(description: "Tansu exited at start: \(address) is taken") }
    }

    /// Gone at once, as a crashed broker is.
    func kill() {
        guard let process else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    deinit { kill() }

    /// A free port below Linux's ephemeral range (32768–60999 by default). A port from that
    /// range — what binding port 0 gives — can be handed to another process's port-0 listener
    /// (every `serve` under test binds its HTTP server so) or become the source port of a client
    /// connecting to it while the broker is down, a TCP self-connect that looks like a broker. Seen
    /// as two rare failures of these tests under the whole suite's load.
    private static func freePort() throws -> UInt16 {
        for _ in 0..<200 {
            let port = UInt16.random(in: 20_000..<32_768)
            if canBind(port) { return port }
        }
        throw TestBroker.Missing(description: "no free port between 20000 and 32767")
    }

    private static func canBind(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
