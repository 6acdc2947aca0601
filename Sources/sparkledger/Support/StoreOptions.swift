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

    func open(readOnly: Bool = false) throws -> SQLiteEventStore {
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
    } catch let failure as CommandFailure {
        Terminal.printError(failure.message)
        throw ExitCode.failure
    } catch let error as ExitCode {
        throw error
    } catch let error as StoreError {
        Terminal.printError(error.message)
        throw ExitCode.failure
    } catch let error as CustomStringConvertible {
        Terminal.printError(error.description)
        throw ExitCode.failure
    }
}
