/// Something that yields bytes in chunks: a file, standard input, a decompressor.
public protocol ByteChunkSource: AnyObject {
    /// Fills `buffer` with up to its capacity of bytes; returns how many, 0 at the end.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(ArchiveError) -> Int
}
