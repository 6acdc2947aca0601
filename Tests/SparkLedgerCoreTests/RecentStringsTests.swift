import SparkLedgerCore
import Testing

@Suite struct RecentStringsTests {
    private func make(_ text: String, with recent: RecentStrings) -> String {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { recent.string($0.baseAddress!, count: $0.count) }
    }

    private func storage(of string: String) -> UnsafePointer<UInt8>? {
        string.withBorrowedUTF8 { $0.baseAddress }
    }

    @Test func theSameBytesAgainGiveTheKeptStringItself() {
        let recent = RecentStrings()
        let id = "09904e71-a3fb-4fea-8ff5-d779e8e36d33"
        let first = make(id, with: recent)
        let second = make(id, with: recent)
        #expect(first == id && second == id)
        #expect(storage(of: first) == storage(of: second))
        // An equal string built elsewhere is a different copy: the sharing is the table's doing.
        #expect(storage(of: String(decoding: Array(id.utf8), as: UTF8.self)) != storage(of: first))
    }

    @Test func aStringThatTakesTheSlotOfAnotherReplacesItAndValuesStayRight() {
        let recent = RecentStrings(slotCount: 1)  // every string hashes to the one slot
        let a = "job/a/ingest_hourly_rollup", b = "job/b/ingest_hourly_rollup"
        let firstA = make(a, with: recent)
        #expect(make(b, with: recent) == b)
        let secondA = make(a, with: recent)
        #expect(firstA == a && secondA == a)
        #expect(storage(of: firstA) != storage(of: secondA))  // b had pushed it out
        #expect(storage(of: make(a, with: recent)) == storage(of: secondA))
    }

    @Test func shortLongAndIllFormedBytesAreBuiltAsStringDecodingBuildsThem() {
        let recent = RecentStrings()
        #expect(make("", with: recent) == "")
        #expect(make("RUNNING", with: recent) == "RUNNING")
        let long = String(repeating: "x", count: RecentStrings.maximumLength + 1)
        #expect(make(long, with: recent) == long)
        // Both kept alive while compared: a temporary freed before the second was made could
        // give its storage to it, and the two would look shared (it happened once in a run).
        let firstLong = make(long, with: recent), secondLong = make(long, with: recent)
        #expect(storage(of: firstLong) != storage(of: secondLong))
        let illFormed: [UInt8] = Array("operator message: ".utf8) + [0xFF, 0xC3] + Array(" end".utf8)
        let expected = String(decoding: illFormed, as: UTF8.self)
        for _ in 0..<2 {
            #expect(illFormed.withUnsafeBufferPointer { recent.string($0.baseAddress!, count: $0.count) } == expected)
        }
        let accented = "équipe-données-prod"
        #expect(make(accented, with: recent) == accented)
        #expect(storage(of: make(accented, with: recent)) == storage(of: make(accented, with: recent)))
    }

    @Test func eventsValidatedWithRecentStringsShareTheirExecutionIDAndPayloadAndEqualTheOthers() throws {
        let validator = EventValidator()
        let lines = [
            #"{"event_id":"e-1","execution_id":"09904e71-a3fb-4fea-8ff5-d779e8e36d33","event_type":"STATE","timestamp":1793052377813,"source":"operator","schema_version":1,"payload":{"operator_state":"Submitted","attempt":0}}"#,
            #"{"event_id":"e-2","execution_id":"2b72151f-390c-46ca-ad41-b33d1983f88e","event_type":"STATE","timestamp":1793052379000,"source":"operator","schema_version":1,"payload":{"operator_state":"Submitted","attempt":0}}"#,
            #"{"event_id":"e-3","execution_id":"09904e71-a3fb-4fea-8ff5-d779e8e36d33","event_type":"STATE","timestamp":1793052379727,"source":"operator","schema_version":1,"payload":{"attempt":0,"operator_state":"Submitted"}}"#,
        ]
        let recent = RecentValues()
        var tape: JSONTape?
        var shared: [ExecutionEvent] = []
        for line in lines {
            var event: ExecutionEvent?
            let rejection = Array(line.utf8).withUnsafeBufferPointer {
                validator.validate($0, ingestTime: 1_800_000_000_000, tape: &tape, recent: recent, into: &event)
            }
            #expect(rejection == nil)
            shared.append(try #require(event))
            #expect(shared.last == (try validator.validate(line, ingestTime: 1_800_000_000_000).get()))
        }
        #expect(storage(of: shared[0].executionID) == storage(of: shared[2].executionID))
        #expect(storage(of: shared[0].executionID) != storage(of: shared[1].executionID))
        // The same canonical payload, whatever the order of its members in the line.
        #expect(shared[0].canonicalPayload == #"{"attempt":0,"operator_state":"Submitted"}"#)
        #expect(storage(of: shared[0].canonicalPayload) == storage(of: shared[1].canonicalPayload))
        #expect(storage(of: shared[0].canonicalPayload) == storage(of: shared[2].canonicalPayload))
    }
}
