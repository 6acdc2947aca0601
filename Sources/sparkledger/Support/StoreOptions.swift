import ArgumentParser
import Foundation
import SparkLedgerStorage

/// `--db PATH`, shared by every command that reads or writes a store.
struct StoreOptions: ParsableArguments {
    static let defaultPath = ".sparkledger/sparkledger.db"

    @Option(name: .long, help: ArgumentHelp(
        "SQLite database file (default: $SPARKLEDGER_DB or \(StoreOptions.defaultPath)).", valueName: "path"))
    var db: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["SPARKLEDGER_DB"] ?? Self.defaultPath
    }

    /// Opens the store; `mustExist` refuses to create a new, empty one (a mistyped path would
    /// otherwise serve nothing without a word).
    func open(readOnly: Bool = false, mustExist: Bool = false) throws -> SQLiteEventStore {
        if mustExist, !FileManager.default.fileExists(atPath: path) {
            throw CommandFailure("no database at \(path): pass --db PATH of an existing store, or run `sparkledger ingest --db \(path) FILE` first")
        }
        do {
            return try SQLiteEventStore(StoreConfiguration(path: path, readOnly: readOnly))
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

/// `--format`, for commands that print records.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case csv
}

/// Runs a command body, turning failures into one line on standard error and exit status 1.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        throw reported(error)
    }
}

func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        throw reported(error)
    }
}

/// Prints a failure's one-line message and turns it into exit code 1.
private func reported(_ error: Error) -> Error {
    switch error {
    case let failure as CommandFailure:
        Terminal.printError(failure.message)
    case let exit as ExitCode:
        return exit
    case let error as StoreError:
        Terminal.printError(error.message)
    case let error as CustomStringConvertible:
        Terminal.printError(error.description)
    default:
        return error
    }
    return ExitCode.failure
}
