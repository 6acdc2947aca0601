import Glibc
import SparkLedgerCore

/// Writes a new file (or standard output for `-`), counting bytes and hashing them on the way.
public final class FileSink {
    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var hasher = SHA256()
    public private(set) var bytesWritten: Int64 = 0
    private var buffer: [UInt8] = []
    private let bufferLimit = 1 << 20

    public init(path: String) throws(ArchiveError) {
        self.path = path
        if path == "-" {
            descriptor = STDOUT_FILENO
            ownsDescriptor = false
        } else {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw ArchiveError(.unwritable, path: path, "cannot create: \(FileChunkSource.errorText())")
            }
            descriptor = fd
            ownsDescriptor = true
        }
        buffer.reserveCapacity(bufferLimit)
    }

    deinit {
        if ownsDescriptor { Glibc.close(descriptor) }
    }

    public func write(_ bytes: [UInt8]) throws(ArchiveError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= bufferLimit { try flush() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(ArchiveError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= bufferLimit { try flush() }
    }

    public func flush() throws(ArchiveError) {
        guard !buffer.isEmpty else { return }
        hasher.update(buffer)
        var written = 0
        let failure: String? = buffer.withUnsafeBytes { bytes in
            while written < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return FileChunkSource.errorText()
                }
                written += count
            }
            return nil
        }
        if let failure {
            throw ArchiveError(.unwritable, path: path, "write failed after \(bytesWritten + Int64(written)) bytes: \(failure)")
        }
        bytesWritten += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs to disk and returns the SHA-256 of everything written.
    public func close() throws(ArchiveError) -> String {
        try flush()
        if ownsDescriptor && fsync(descriptor) != 0 {
            throw ArchiveError(.unwritable, path: path, "fsync failed: \(FileChunkSource.errorText())")
        }
        return SHA256.hex(hasher.finalize())
    }
}
