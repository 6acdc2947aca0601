import Glibc
import Synchronization

/// Reads a file, or standard input for `-`, with plain `read(2)`.
public final class FileChunkSource: ByteChunkSource {
    public let path: String
    /// The file's size when it was opened; nil for standard input and pipes.
    public let size: Int64?
    /// Last modification time (ns since the epoch); nil for standard input.
    public let modifiedNanoseconds: Int64?
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Bytes read so far; read by a progress display on another thread.
    public let bytesRead = Atomic<Int64>(0)

    public init(path: String) throws(ArchiveError) {
        self.path = path
        if path == "-" {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
            size = nil
            modifiedNanoseconds = nil
            return
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ArchiveError(.unreadable, path: path, "cannot open: \(Self.errorText())")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let message = Self.errorText()
            close(fd)
            throw ArchiveError(.unreadable, path: path, "cannot stat: \(message)")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ArchiveError(.unreadable, path: path, "is a directory, not a file of events")
        }
        descriptor = fd
        ownsDescriptor = true
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil
        modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(ArchiveError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = Glibc.read(descriptor, base, buffer.count)
            if count >= 0 {
                bytesRead.add(Int64(count), ordering: .relaxed)
                return count
            }
            if errno == EINTR { continue }
            throw ArchiveError(.unreadable, path: path, "read failed: \(Self.errorText())")
        }
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
