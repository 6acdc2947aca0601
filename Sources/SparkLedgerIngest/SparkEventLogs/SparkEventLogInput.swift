import Foundation

/// One application's event log on disk: a single file, or the files of a rolling event-log
/// directory (`eventlog_v2_<app>/events_<N>_<app>[.<codec>]`) in order.
public struct SparkEventLogInput: Sendable, Equatable {
    /// The file or directory, as the user named it (or as found in a folder they named).
    public var path: String
    public var files: [String]
    /// Still being written (`.inprogress`): its last line may be cut off.
    public var inProgress: Bool

    /// Codecs Spark can write that this importer does not read.
    static let unsupportedCodecs = ["lz4", "lzf", "snappy", "gz", "gzip"]

    /// The logs a user's paths stand for: a file is one log; a rolling event-log directory is one
    /// log; any other directory stands for the logs in it (files and rolling directories, hidden
    /// files and Hadoop `.crc` checksums left out), and must hold at least one.
    public static func find(_ paths: [String]) throws(SparkImportError) -> [SparkEventLogInput] {
        var inputs: [SparkEventLogInput] = []
        for path in paths {
            switch kind(of: path) {
            case .missing:
                throw SparkImportError(path: path, "no such file or directory")
            case .file:
                inputs.append(try single(path))
            case .directory where isRollingDirectory(path):
                inputs.append(try rolling(path))
            case .directory:
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                var found: [SparkEventLogInput] = []
                for name in names.sorted() where !name.hasPrefix(".") && !name.hasSuffix(".crc") {
                    let child = (path as NSString).appendingPathComponent(name)
                    switch kind(of: child) {
                    case .file: found.append(try single(child))
                    case .directory where isRollingDirectory(child): found.append(try rolling(child))
                    default: continue
                    }
                }
                guard !found.isEmpty else {
                    throw SparkImportError(path: path, "no Spark event logs in this directory (files, or eventlog_v2_* rolling-log directories)")
                }
                inputs.append(contentsOf: found)
            }
        }
        return inputs
    }

    private enum Kind { case missing, file, directory }

    private static func kind(of path: String) -> Kind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .directory : .file
    }

    private static func isRollingDirectory(_ path: String) -> Bool {
        (path as NSString).lastPathComponent.hasPrefix("eventlog_v2_")
    }

    private static func single(_ path: String) throws(SparkImportError) -> SparkEventLogInput {
        var name = (path as NSString).lastPathComponent
        let inProgress = name.hasSuffix(".inprogress")
        if inProgress { name.removeLast(".inprogress".count) }
        try checkCodec(name, path: path)
        return SparkEventLogInput(path: path, files: [path], inProgress: inProgress)
    }

    private static func rolling(_ path: String) throws(SparkImportError) -> SparkEventLogInput {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var parts: [(index: Int, name: String)] = []
        for name in names where name.hasPrefix("events_") && !name.hasSuffix(".crc") {
            let fields = name.split(separator: "_", maxSplits: 2)
            guard fields.count == 3, let index = Int(fields[1]) else { continue }
            try checkCodec(name, path: (path as NSString).appendingPathComponent(name))
            parts.append((index, name))
        }
        guard !parts.isEmpty else { throw SparkImportError(path: path, "rolling event-log directory without events_<N>_<app> files") }
        parts.sort { $0.index < $1.index }
        // Spark marks a finished rolling log by renaming appstatus_<app>.inprogress to appstatus_<app>.
        let inProgress = names.contains { $0.hasPrefix("appstatus_") && $0.hasSuffix(".inprogress") }
        return SparkEventLogInput(path: path, files: parts.map { (path as NSString).appendingPathComponent($0.name) }, inProgress: inProgress)
    }

    private static func checkCodec(_ name: String, path: String) throws(SparkImportError) {
        guard let dot = name.lastIndex(of: ".") else { return }
        let codec = name[name.index(after: dot)...].lowercased()
        if unsupportedCodecs.contains(codec) {
            throw SparkImportError(path: path, "compressed with \(codec), which this importer does not read; Spark's default codec zstd is read (spark.eventLog.compression.codec=zstd), or decompress the file first")
        }
    }
}
