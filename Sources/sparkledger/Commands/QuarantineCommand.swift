import ArgumentParser
import Foundation
import SparkLedgerCore
import SparkLedgerStorage

extension RejectionReason: ExpressibleByArgument {}

struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "Show rejected events: why, where they came from, and their raw bytes.",
        discussion: """
            Reasons: \(RejectionReason.allCases.map(\.rawValue).joined(separator: ", ")).
            JSON prints an array of {reason, origin, raw, detail}; raw is the record as
            text (a raw that is not UTF-8 comes as raw_base64 instead). The table ends
            with a count per reason.

            Examples:
              sparkledger quarantine
              sparkledger quarantine --reason invalid_payload --format json | jq -r '.[].detail'
            """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this reason.") var reason: RejectionReason?
    @Option(help: "At most this many entries.") var limit: Int?
    @Option(help: "table or json.") var format: Format = .table

    enum Format: String, ExpressibleByArgument { case table, json }

    func run() throws {
        try reportingFailures {
            let eventStore = try store.open(readOnly: true)
            let entries = try eventStore.quarantine(reason: reason, limit: limit)
            let output = StandardOutput()
            switch format {
            case .json:
                let items = entries.map { entry -> String in
                    var members: [JSONObject.Member] = [.init("reason", .string(entry.reason.rawValue)), .init("origin", .string(entry.origin))]
                    if let text = String(validating: entry.raw, as: UTF8.self) {
                        members.append(.init("raw", .string(text)))
                    } else {
                        members.append(.init("raw_base64", .string(Data(entry.raw).base64EncodedString())))
                    }
                    members.append(.init("detail", .string(entry.detail)))
                    if entry.rawSize > entry.raw.count { members.append(.init("raw_size", .int(entry.rawSize))) }
                    return JSONWriter.string(.object(JSONObject(members)), keyOrder: .documentOrder)
                }
                output.line(items.isEmpty ? "[]" : "[\n" + items.joined(separator: ",\n") + "\n]")
            case .table:
                var table = TableWriter([("REASON", .left), ("ORIGIN", .left), ("DETAIL", .left)])
                for entry in entries {
                    table.add([entry.reason.rawValue, entry.origin, String(entry.detail.prefix(140))])
                }
                if entries.isEmpty { output.line("the quarantine is empty") } else { table.render(to: output) }
                let counts = try eventStore.quarantineCounts()
                if !counts.isEmpty {
                    output.line()
                    output.line("count per reason:")
                    for reason in RejectionReason.allCases {
                        if let count = counts[reason] {
                            output.line("  \(reason.rawValue.padding(toLength: 28, withPad: " ", startingAt: 0))\(Formatting.count(count))")
                        }
                    }
                }
            }
            output.flush()
        }
    }
}
