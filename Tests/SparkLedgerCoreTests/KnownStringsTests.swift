@testable import SparkLedgerCore
import Testing

@Suite struct KnownStringsTests {
    private func lookUp(_ table: KnownStringTable, _ text: String) -> String? {
        var text = text
        return text.withUTF8 { table.string($0.baseAddress!, count: $0.count) }
    }

    @Test func everyKnownStringIsFoundAndNothingElse() {
        let table = KnownStrings.table
        for string in KnownStrings.all {
            #expect(lookUp(table, string) == string)
            // Near misses: one byte changed at the start, the middle or the end; a byte more or less.
            var bytes = Array(string.utf8)
            for index in [0, bytes.count / 2, bytes.count - 1] {
                let original = bytes[index]
                bytes[index] = original ^ 0x01
                #expect(lookUp(table, String(decoding: bytes, as: UTF8.self)) == nil, "\(string) with byte \(index) changed")
                bytes[index] = original
            }
            #expect(lookUp(table, string + "x") == nil)
            #expect(lookUp(table, String(string.dropLast())) == nil || KnownStrings.all.contains(String(string.dropLast())))
        }
    }

    @Test func aTableWithCollidingSlotsStillTellsItsStringsApart() {
        // Many strings of one length that share first, middle and last bytes probe past each other.
        func padded(_ number: Int) -> String { String(String(number + 1000).dropFirst()) }
        let strings = (0..<300).map { "a\(padded($0))m\(padded(299 - $0))z" }
        let table = KnownStringTable(strings)
        for string in strings { #expect(lookUp(table, string) == string) }
        #expect(lookUp(table, "a000m000z") == nil)
        #expect(lookUp(table, "") == nil)
    }

    @Test func parsedNamesAndValuesAreTheSameStrings() throws {
        let text = #"{"event_id":"e-1","execution_id":"x","event_type":"STATE","source":"operator","payload":{"operator_state":"Running","owner":"not known"},"labels":{"tier":"gold"}}"#
        guard case .object(let object) = try JSONParser.parse(text) else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == ["event_id", "execution_id", "event_type", "source", "payload", "labels"])
        #expect(object["event_type"] == .string("STATE") && object["source"] == .string("operator"))
        #expect(object["payload"]?.objectValue?["operator_state"] == .string("Running"))
        #expect(object["payload"]?.objectValue?["owner"] == .string("not known"))
        #expect(object["labels"]?.objectValue?["tier"] == .string("gold"))
    }
}
