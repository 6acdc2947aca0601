/// A file that cannot be read or written as an event archive. The message names the file.
public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unreadable
        case unwritable
        case corruptCompression
        case truncatedCompression
        case badManifest
        case checksumMismatch
    }

    public var kind: Kind
    public var path: String
    public var message: String

    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
