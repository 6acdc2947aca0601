import ArgumentParser
import SparkLedgerCore
import SparkLedgerStorage

struct ExecutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "execution",
        abstract: "Show one execution's snapshot, and with --events its history.",
        discussion: """
            Prints the snapshot as JSON (the contract's snake_case keys). With --events,
            prints {"execution": …, "events": […]}, the events in fold order: (timestamp,
            rank, event_id).

            Examples:
              sparkledger execution 0c8f0d1e-5a3b-4f9e-9f51-2b8e4c7d9a10
              sparkledger execution 0c8f0d1e-5a3b-4f9e-9f51-2b8e4c7d9a10 --events | jq '.events[].event_type'
            """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The execution_id.", valueName: "id")) var id: String
    @Flag(help: "Include the execution's events in fold order.") var events = false

    func run() throws {
        try reportingFailures {
            let eventStore = try store.open(readOnly: true)
            guard let execution = try eventStore.execution(id: id) else {
                throw CommandFailure("no execution \"\(id)\" in \(eventStore.path)")
            }
            let snapshot = JSONValue.object(execution.contractJSON)
            let output = StandardOutput()
            if events {
                let history = try eventStore.events(ofExecution: id).map { event -> JSONValue in
                    (try? JSONParser.parse(event.canonicalEnvelope())) ?? .null
                }
                output.line(JSONWriter.prettyString(.object(JSONObject([
                    .init("execution", snapshot), .init("events", .array(history)),
                ]))))
            } else {
                output.line(JSONWriter.prettyString(snapshot))
            }
        }
    }
}
