import Foundation
import SparkLedgerArchive

/// Turns the paths a user gave into files to read: a directory written by `export` stands for
/// its segments, in manifest order, after their checksums are verified.
enum IngestInputs {
    static func expand(_ paths: [String]) throws(ArchiveError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                files.append(path)
                continue
            }
            guard FileManager.default.fileExists(atPath: path + "/" + SegmentManifest.fileName) else {
                throw ArchiveError(.unreadable, path: path, "is a directory without \(SegmentManifest.fileName); pass event files or a directory written by `sparkledger export`")
            }
            let manifest = try SegmentManifest.read(directory: path)
            try manifest.verify(directory: path)
            files.append(contentsOf: manifest.segments.map { path + "/" + $0.file })
        }
        return files
    }

    /// The checkpoint source of a file: its absolute, standardized path.
    static func checkpointSource(for path: String) -> String? {
        guard path != "-" else { return nil }
        return "file:" + URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
