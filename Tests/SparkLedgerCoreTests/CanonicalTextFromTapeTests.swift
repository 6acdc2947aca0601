import Testing
@testable import SparkLedgerCore

/// `JSONTape.rawCanonicalText` must give exactly `JSONWriter`'s canonical text, or nothing.
struct CanonicalTextFromTapeTests {
    private func fromBytes(_ text: String) -> String? {
        (try? JSONParser.tape(text))?.rawCanonicalText(at: JSONTape.root)
    }

    private func written(_ text: String) throws -> String {
        JSONWriter.string(try JSONParser.parse(text))
    }

    @Test func membersAreSortedAtEveryDepthAndTheRestIsKept() throws {
        let text = #"{"zeta":1,"alpha":{"y":[{"b":true,"a":null},[],{}],"x":"é ✓"},"mid":-42,"aa":0.25,"a":"plain"}"#
        let canonical = try #require(fromBytes(text))
        #expect(canonical == #"{"a":"plain","aa":0.25,"alpha":{"x":"é ✓","y":[{"a":null,"b":true},[],{}]},"mid":-42,"zeta":1}"#)
        #expect(canonical == (try written(text)))
        #expect(fromBytes("{}") == "{}")
        #expect(fromBytes(#"[3,{"b":1,"a":2}]"#) == #"[3,{"a":2,"b":1}]"#)
    }

    @Test func whitespaceBetweenTokensIsLeftOut() throws {
        for text in [#"{"a": 1}"#, #"{"a":1 }"#, "{\n\"b\":[ 1 , {\"d\" :2,\"c\":3} ],\t\"a\":1}", " [ ] "] {
            #expect(fromBytes(text) == (try written(text)), "\(text)")
        }
    }

    /// Each of these is written differently by `JSONWriter` than it stands, so it is left to it.
    @Test(arguments: [
        #"{"a":"\/"}"#, #"{"a":"\u00e9"}"#, #"{"a":"\n"}"#, #"{"a":-0}"#,
        #"{"a":1.0}"#, #"{"a":1.50}"#, #"{"a":1e3}"#, #"{"a":1E3}"#, #"{"a":2.5e-3}"#, #"{"a":0.001}"#, #"{"a":0.00001}"#,
        #"{"a":1234567890.5}"#, #"{"a":0.1234567890123456}"#, #"{"a":1234567890123456789}"#, #"{"a":99999999999999999999}"#,
        #"{"a\u0062":1}"#, #""plain""#, "17",
    ])
    func textThatIsNotCanonicalButForOrderIsLeftToTheWriter(_ text: String) {
        #expect(fromBytes(text) == nil)
    }

    /// Decimal fractions the fast path accepts read back through Double and `JSONWriter` as the
    /// very same text, over magnitudes from 0.01 to 10^9 and up to 15 significant digits.
    @Test func acceptedFractionsAreTheWritersShortestText() throws {
        var random = SplitMix(seed: 7)
        var accepted = 0
        for _ in 0..<40_000 {
            let integerDigits = Int(random.next() % 10)  // 0 means "0."
            let fractionDigits = 1 + Int(random.next() % 15)
            var text = random.next() % 4 == 0 ? "-" : ""
            if integerDigits == 0 {
                text += "0"
            } else {
                text += String(1 + random.next() % 9)
                for _ in 1..<integerDigits { text += String(random.next() % 10) }
            }
            text += "."
            let zeros = integerDigits == 0 ? Int(random.next() % 4) : 0
            text += String(repeating: "0", count: min(zeros, fractionDigits - 1))
            for _ in 0..<(fractionDigits - min(zeros, fractionDigits - 1)) { text += String(random.next() % 10) }
            let document = #"{"v":"# + text + "}"
            if let canonical = fromBytes(document) {
                accepted += 1
                #expect(canonical == (try written(document)), "\(text)")
            }
        }
        #expect(accepted > 15_000)
    }

    /// Random objects with every kind of value, in random member order, with and without the
    /// things the fast path refuses: whatever it returns is the writer's text.
    @Test func randomDocumentsGiveTheWritersTextOrNothing() throws {
        var random = SplitMix(seed: 2026)
        var accepted = 0
        for _ in 0..<5_000 {
            let text = randomObject(&random, depth: 0)
            let canonical = fromBytes(text)
            if let canonical {
                accepted += 1
                #expect(canonical == (try written(text)), "\(text)")
            }
        }
        #expect(accepted > 1_000)
    }

    private func randomObject(_ random: inout SplitMix, depth: Int) -> String {
        let count = Int(random.next() % (depth == 0 ? 12 : 5))
        var keys: Set<String> = []
        while keys.count < count { keys.insert(randomKey(&random)) }
        let members = keys.shuffled(using: &random).map { key in "\"\(key)\":" + randomValue(&random, depth: depth + 1) }
        let separator = random.next() % 50 == 0 ? ", " : ","
        return "{" + members.joined(separator: separator) + "}"
    }

    private func randomKey(_ random: inout SplitMix) -> String {
        let alphabet: [String] = ["a", "b", "z", "A", "_", "0", "é", "ß", "✓", "aa", "ab"]
        return (0..<(1 + Int(random.next() % 6))).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
    }

    private func randomValue(_ random: inout SplitMix, depth: Int) -> String {
        switch random.next() % (depth > 3 ? 8 : 10) {
        case 0: return ["true", "false", "null"][Int(random.next() % 3)]
        case 1: return String(Int64(bitPattern: random.next()) >> (random.next() % 64))
        case 2: return ["-0", "0", "1.0", "2.50", "3e2", "0.001", "12.75", "-0.5", "1234567.125", "0.3333333333333333", "1e-7"][Int(random.next() % 11)]
        case 3, 4: return "\"" + ["plain", "with space", "é✓🚀", #"esc\"aped"#, #"back\\slash"#, #"\u0041"#, "", "tab\\t"][Int(random.next() % 8)] + "\""
        case 5: return String(Double(random.next() % 1_000_000) / 64)
        case 6, 7: return "\"" + randomKey(&random) + "\""
        case 8: return randomObject(&random, depth: depth)
        default:
            let elements = (0..<Int(random.next() % 4)).map { _ in randomValue(&random, depth: depth + 1) }
            return "[" + elements.joined(separator: ",") + "]"
        }
    }
}

/// A small deterministic generator for the tests.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The validator takes the canonical payload from the bytes where it can, and it is the same.
struct CanonicalPayloadFromBytesTests {
    @Test func theTapeFindsTheTopLevelPayloadOnly() throws {
        let text = #"{"payload" :  {"payload":{"z":1}, "a":[1]} , "event_id":"e"}"#
        let bytes = Array(text.utf8)
        let tape = try JSONParser.tape(text)
        let payload = try #require(tape.member("payload", of: JSONTape.root))
        #expect(String(decoding: bytes[tape.documentRange(at: payload)], as: UTF8.self) == #"{"payload":{"z":1}, "a":[1]}"#)
        #expect(tape.canonicalText(at: payload) == #"{"a":[1],"payload":{"z":1}}"#)
        #expect(try JSONParser.tape(#"{"event_id":"e"}"#).member("payload", of: JSONTape.root) == nil)
    }

    /// As deep as the parser allows (an envelope at depth 1, its payload under it): every level's
    /// members sorted, the same text as the writer's.
    @Test func aPayloadNestedAsDeepAsAllowedIsWrittenAlike() throws {
        var payload = #"{"z":1,"a":2}"#
        for level in 0..<(JSONParser.maximumDepth - 3) { payload = #"{"k\#(level % 10)":"# + payload + #","b":[1,{"y":0,"x":1}]}"# }
        let line = #"{"event_id":"e-1","execution_id":"x-1","event_type":"STATE","timestamp":1790000000000,"source":"operator","schema_version":1,"payload":"# + payload + "}"
        let tape = try JSONParser.tape(line)
        let fromBytes = tape.rawCanonicalText(at: try #require(tape.member("payload", of: JSONTape.root)))
        #expect(fromBytes == JSONWriter.string(try JSONParser.parse(payload)))
    }

    @Test(arguments: [
        #"{"job_path":"a/b","team":"t","owner":"o","namespace":"n","vendor":"SK8","attempt":1,"labels":{"z":"1","a":"2"},"resources":{"executor":{"instances":2,"cores":4,"memory_mb":8192},"driver":{"cores":1,"memory_mb":2048}}}"#,
        #"{ "team" : "t", "job_path":"a\/b", "owner":"\u006f", "namespace":"n", "vendor":"SK8", "attempt":1.0 }"#,
    ])
    func validatedEventsCarryTheWritersCanonicalPayload(_ payload: String) throws {
        let line = #"{"event_id":"e-1","execution_id":"x-1","event_type":"SUBMIT","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":"# + payload + "}"
        let event = try EventValidator().validate(line, ingestTime: 1_790_000_000_000).get()
        #expect(event.canonicalPayload == JSONWriter.string(try JSONParser.parse(payload)))
    }
}
