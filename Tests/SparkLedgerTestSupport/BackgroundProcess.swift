import Foundation
import Synchronization

/// A server a test starts and kills (SIGKILL: the test process may have blocked SIGTERM in the
/// thread that spawned it, and children inherit that). Its standard error is kept for diagnosis.
public final class BackgroundProcess: @unchecked Sendable {
    // @unchecked: `process` is only started in init and read or killed after; the text buffers lock.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    private let process: Process
    private let output = TextBuffer()
    private let errors = TextBuffer()

    public init(_ executable: String, _ arguments: [String], directory: TemporaryDirectory) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [output] handle in
            output.append(String(decoding: handle.availableData, as: UTF8.self))
        }
        err.fileHandleForReading.readabilityHandler = { [errors] handle in
            errors.append(String(decoding: handle.availableData, as: UTF8.self))
        }
        try process.run()
    }

    public var isRunning: Bool { process.isRunning }
    public var standardOutput: String { output.text }
    public var errorOutput: String { errors.text }

    /// Waits (up to 60 s) until standard output or error has a line matching `pattern`; returns it.
    /// The output is looked at once more after every sleep, however long the sleep took: under
    /// the whole suite's load a sleeping test may wake past its deadline, and the line may have
    /// arrived meanwhile (the pipes are read on threads of their own).
    public func waitForLine(matching pattern: Regex<(Substring, Substring)>) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            for line in (standardOutput + "\n" + errorOutput).split(separator: "\n") where line.contains(pattern) {
                return String(line)
            }
            guard process.isRunning, ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure(description: "no line matching the pattern; output: \(standardOutput) errors: \(errorOutput)")
    }

    public func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Text a pipe's handler appends to while a test reads it.
final class TextBuffer: Sendable {
    private let state = Mutex("")
    func append(_ text: String) { state.withLock { $0 += text } }
    var text: String { state.withLock { $0 } }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
public func freeLoopbackPort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw BackgroundProcess.Failure(description: "socket() failed") }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
    }
    guard bound else { throw BackgroundProcess.Failure(description: "bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
