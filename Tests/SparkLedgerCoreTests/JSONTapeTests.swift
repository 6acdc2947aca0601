@testable import SparkLedgerCore
import Testing

@Suite struct JSONTapeTests {
    private let document = #"{"a":{"x":[1,{"y":2}],"z":"w"},"b\u0041":"\u00e9\/","c":[],"d":{},"e":-0.5,"f":true,"g":null}"#

    @Test func membersHopOverNestedValuesInDocumentOrder() throws {
        let tape = try JSONParser.tape(document)
        #expect(tape.kind(at: JSONTape.root) == .object)
        #expect(tape.count(at: JSONTape.root) == 7)
        let members = Array(tape.members(of: JSONTape.root))
        #expect(members.map { tape.string(at: $0.key) } == ["a", "bA", "c", "d", "e", "f", "g"])
        #expect(members.map { tape.kind(at: $0.value) } == [.object, .string, .array, .object, .double, .true, .null])
        let a = try #require(tape.member("a", of: JSONTape.root))
        let x = try #require(tape.member("x", of: a))
        #expect(tape.elements(of: x).map { tape.value(at: $0) } == [.int(1), .object(JSONObject(["y": .int(2)]))])
        #expect(tape.member("z", of: a).map { tape.string(at: $0) } == "w")
        #expect(tape.member("y", of: JSONTape.root) == nil)  // only the object's own members
        #expect(tape.member("bA", of: JSONTape.root).map { tape.string(at: $0) } == "é/")
        #expect(tape.number(at: try #require(tape.member("e", of: JSONTape.root))) == -0.5)
        #expect(tape.count(at: try #require(tape.member("c", of: JSONTape.root))) == 0)
        #expect(tape.count(at: try #require(tape.member("d", of: JSONTape.root))) == 0)
    }

    @Test func rangesCanonicalTextAndTheDocumentComeFromTheBytes() throws {
        let tape = try JSONParser.tape(document)
        let bytes = Array(document.utf8)
        let a = try #require(tape.member("a", of: JSONTape.root))
        #expect(String(decoding: bytes[tape.documentRange(at: a)], as: UTF8.self) == #"{"x":[1,{"y":2}],"z":"w"}"#)
        #expect(tape.canonicalText(at: JSONTape.root) == JSONWriter.string(try JSONParser.parse(document)))
        // Escaped strings are decoded after the document's bytes; `document` leaves them out.
        #expect(tape.document == bytes)
        let plain = #"{"k":"v"}"#
        #expect(try JSONParser.tape(plain).document == Array(plain.utf8))
    }

    @Test func aReusedTapeReadsTheNextDocumentAndLeavesAHeldCopyAlone() throws {
        let first = try JSONParser.tape(document)
        let held = first
        let second = try Array(#"{"q":[true,"r"]}"#.utf8).withUnsafeBufferPointer { try JSONParser.tape($0, reusing: first) }
        #expect(second.value(at: JSONTape.root) == (try JSONParser.parse(#"{"q":[true,"r"]}"#)))
        #expect(held.value(at: JSONTape.root) == (try JSONParser.parse(document)))
        var scratch: JSONTape? = second
        for text in [#"[1,2,3]"#, #"{"a":"b","c":{"d":[null]}}"#, #""s""#] {
            scratch = try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.tape($0, reusing: scratch.take()) }
            #expect(scratch?.value(at: JSONTape.root) == (try JSONParser.parse(text)))
        }
    }

    /// Reusing a tape keeps its node array's room: the next document's nodes go into the same
    /// buffer instead of a new one allocated (and grown) for every document.
    @Test func aReusedTapesNodesKeepTheirRoom() throws {
        let large = Array(#"{"a":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]}"#.utf8)
        var tape: JSONTape? = try JSONParser.tape(large)
        let room = try #require(tape?.nodes.capacity)
        #expect(room >= 42)
        for text in [#"{"k":"v"}"#, #"[true]"#, #"{"k":{"l":[null,"m"]}}"#] {
            tape = try JSONParser.tape(Array(text.utf8), reusing: tape.take())
            #expect(tape?.nodes.capacity == room)
            #expect(tape?.value(at: JSONTape.root) == (try JSONParser.parse(text)))
        }
        let buffered = try Array(#"[1,2]"#.utf8).withUnsafeBufferPointer { try JSONParser.tape($0, reusing: tape.take()) }
        #expect(buffered.nodes.capacity == room)
    }

    /// A tape of an array shares it; decoding a string copies the tape's storage, never the array.
    @Test func aTapeOfAnArraySharesItAndLeavesItAsItWas() throws {
        let bytes = Array(document.utf8)
        let original = bytes
        let tape = try JSONParser.tape(bytes)
        #expect(tape.document == original)
        #expect(bytes == original)
        #expect(tape.value(at: JSONTape.root) == (try JSONParser.parse(document)))
        let plain = Array(#"{"k":["v",1]}"#.utf8)
        let reused = try JSONParser.tape(plain, reusing: tape)
        #expect(reused.document == plain)
        #expect(reused.value(at: JSONTape.root) == .object(JSONObject(["k": .array([.string("v"), .int(1)])])))
        let validated = EventValidator().validate(Array(#"{"event_id":"e1","execution_id":"x","event_type":"CANCEL","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":{}}"#.utf8), ingestTime: 1_790_000_000_000)
        #expect(try validated.get().eventID == "e1")
    }

    @Test func aTreesTapeKeepsEveryValue() throws {
        let tree = try JSONParser.parse(document)
        #expect(JSONTape(tree).value(at: JSONTape.root) == tree)
        #expect(JSONTape(tree).canonicalText(at: JSONTape.root) == JSONWriter.string(tree))
        // A Double JSON cannot spell stays what it is: a reader rejects it rather than reading null.
        let tape = JSONTape(.object(JSONObject(["spot_fraction": .double(.nan)])))
        let node = try #require(tape.member("spot_fraction", of: JSONTape.root))
        #expect(tape.kind(at: node) == .double)
        #expect(tape.number(at: node)?.isNaN == true)
        #expect(throws: FieldError.self) { try MetricsSummary(PayloadReader(tape, object: JSONTape.root, path: "payload")) }
    }

    /// Keys whose length, first and last bytes agree share a signature bit; they must still be
    /// told apart, and a real duplicate found, before and after the 64th key.
    @Test func duplicateKeysAreFoundWhateverTheirSignatures() {
        let keys = (0..<100).map { "a\($0 % 10)\($0 / 10)b" }
        let object = "{" + keys.map { "\"\($0)\":0" }.joined(separator: ",") + "}"
        #expect((try? JSONParser.parse(object))?.objectValue?.members.count == 100)
        for (position, duplicate) in [(1, "a00b"), (40, "a93b"), (70, "a56b"), (101, "a09b")] {
            var members = keys.map { "\"\($0)\":0" }
            members.insert("\"\(duplicate)\":1", at: min(position, members.count))
            #expect((try? JSONParser.parse("{" + members.joined(separator: ",") + "}")) == nil, "\(duplicate) at \(position)")
        }
    }
}

@Suite struct ExecutionIDCharacterTests {
    @Test func exactlyTheContractsCharactersAreAllowed() {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-".utf8)
        for byte in UInt8.min...UInt8.max {
            #expect(Contract.isExecutionIDCharacter(byte) == allowed.contains(byte), "byte \(byte)")
        }
        #expect(Contract.isValidExecutionID("run-1.a_b:C"))
        #expect(!Contract.isValidExecutionID(""))
        #expect(!Contract.isValidExecutionID("a b"))
        #expect(Contract.isValidExecutionID(String(repeating: "x", count: 128)))
        #expect(!Contract.isValidExecutionID(String(repeating: "x", count: 129)))
        // One byte outside the set anywhere, the last included, and bytes past ASCII.
        let id = "09904e71-a3fb-4fea-8ff5-d779e8e36d33"
        #expect(Contract.isValidExecutionID(id))
        for index in [0, 17, id.utf8.count - 1] {
            for bad: UInt8 in [UInt8(ascii: "/"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: "{"), 0x7F, 0xC3] {
                var bytes = Array(id.utf8)
                bytes[index] = bad
                #expect(!bytes.withUnsafeBufferPointer(Contract.isValidExecutionID), "byte \(bad) at \(index)")
            }
        }
        #expect(!Contract.isValidExecutionID("équipe-1"))
    }
}
