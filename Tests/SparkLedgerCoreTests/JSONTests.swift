import SparkLedgerCore
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String) -> JSONValue? { try? JSONParser.parse(text) }
    private func fails(_ text: String) -> Bool { parse(text) == nil }

    @Test func numbersFollowTheOneRepresentationRule() {
        #expect(parse("1") == .int(1))
        #expect(parse("1.0") == .int(1))
        #expect(parse("1e3") == .int(1000))
        #expect(parse("-0") == .int(0))
        #expect(parse("9223372036854775807") == .int(.max))
        #expect(parse("-9223372036854775808") == .int(.min))
        #expect(parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(parse("0.5") == .double(0.5))
        #expect(parse("1.5e-3") == .double(0.0015))
    }

    @Test func stringsAndEscapes() {
        #expect(parse(#""a\"b\\c\/d\n\t""#) == .string("a\"b\\c/d\n\t"))
        #expect(parse(#""\u00e9\u4e2d""#) == .string("é中"))
        #expect(parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(parse("\"é中😀\"") == .string("é中😀"))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "NaN", "Infinity", "'x'", "{a:1}", "tru", "nul",
        "\"\\x\"", "\"\\ud83d\"", "\"\\ude00\"", "\"a\nb\"", "// comment\n{}", "{} {}", "1e999", "[1 2]", "\"abc",
    ])
    func rejects(text: String) {
        #expect(fails(text), "accepted \(text.debugDescription)")
    }

    @Test func rejectsInvalidUTF8AndOverlongEncodings() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]] {
            #expect((try? JSONParser.parse(bytes)) == nil, "accepted \(bytes)")
        }
    }

    @Test func rejectsDuplicateKeysSmallAndLarge() {
        #expect(fails(#"{"a":1,"a":2}"#))
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(parse("{\(many)}") != nil)
        #expect(fails("{\(many),\"k7\":0}"))  // among the first members, compared directly
        #expect(fails("{\(many),\"k30\":0}"))  // among the later ones, compared by hash
        // The same key spelled with an escape is the same key.
        #expect(fails(#"{"a":1,"\u0061":2}"#))
        #expect(fails(#"{"é":1,"\u00e9":2}"#))
    }

    @Test func omittedMembersAreSkippedAtAnyDepth() throws {
        let text = #"{"a":1,"b":{"x":[1,"]}\"",{"y":"\\"}],"z":tru},"c":[{"b":2,"d":"\u0041"}],"bb":3}"#
        let value = try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.parse(buffer: $0, omitting: ["b"]) }
        #expect(value == (try JSONParser.parse(#"{"a":1,"c":[{"d":"A"}],"bb":3}"#)))
        // An omitted member still has to end: an unterminated one is an error.
        #expect(throws: JSONParseError.self) {
            try Array(#"{"a":1,"b":{"x":[1,2}"#.utf8).withUnsafeBufferPointer { try JSONParser.parse(buffer: $0, omitting: ["b"]) }
        }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(parse(deep) != nil)
        let tooDeep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(fails(tooDeep))
    }

    @Test func errorsSayWhereAndWhat() {
        do {
            _ = try JSONParser.parse(#"{"a": tru}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.offset == 6)
            #expect(error.description == "unexpected character 't' at byte 6")
        }
    }
}

@Suite struct CanonicalJSONTests {
    @Test func keyOrderWhitespaceAndNumberSpellingDoNotMatter() throws {
        let a = try JSONParser.parse(#"{"b": [1.0, {"y": true, "x": null}], "a": "é"}"#)
        let b = try JSONParser.parse(#"{"a":"é","b":[1,{"x":null,"y":true}]}"#)
        #expect(a == b)
        #expect(JSONWriter.string(a) == #"{"a":"é","b":[1,{"x":null,"y":true}]}"#)
        #expect(JSONWriter.bytes(a) == JSONWriter.bytes(b))
    }

    @Test func keysSortByUTF8Bytes() throws {
        let value = try JSONParser.parse(#"{"b":1,"B":2,"é":3,"a":4,"aa":5}"#)
        #expect(JSONWriter.string(value) == #"{"B":2,"a":4,"aa":5,"b":1,"é":3}"#)
    }

    /// The writer sorts by packed 16-byte prefixes first: keys that share them, differ past them,
    /// are prefixes of one another, hold NULs (zero bytes, as the padding is) or non-ASCII still
    /// come out in the order of their UTF-8 bytes, whatever order they went in.
    @Test func keysSharingLongPrefixesSortByTheirWholeBytes() throws {
        let stems = ["", "a", "executor_memory_", "executor_memory_mb_seconds", "shuffle_fetch_fa", "ab\u{0}", "ab", "é", "€uro",
                     "executor_memory_mb_secondsX", "zz"]
        var keys = Set<String>()
        for stem in stems {
            for suffix in ["", "\u{0}", "a", "b", "_x", "é", String(repeating: "q", count: 20)] { keys.insert(stem + suffix) }
        }
        let expected = keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let shuffled = expected.shuffled(using: &random)
            let object = JSONValue.object(JSONObject(shuffled.enumerated().map { .init($0.element, .int(Int64($0.offset))) }))
            let written = try #require(JSONParser.parse(JSONWriter.string(object)).objectValue)
            #expect(written.keys == expected)
        }
    }

    @Test func writerEscapesWhatJSONRequires() throws {
        let value = JSONValue.string("q\"b\\n\n\u{01}é")
        let text = JSONWriter.string(value)
        #expect(text == #""q\"b\\n\n\u0001é""#)
        #expect(try JSONParser.parse(text) == value)
    }

    /// The escape check reads eight bytes at a time: a character that must be escaped is found
    /// wherever it falls in a word or in the tail, beside non-ASCII bytes, in strings of 1–40
    /// characters.
    @Test func everyCharacterThatMustBeEscapedIsFoundAtEveryPosition() throws {
        let specials: [(Character, String)] = [("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\u{00}", #"\u0000"#), ("\u{1F}", #"\u001f"#)]
        for length in 1...40 {
            // Capital letters, and an "é" (two bytes) every fifth character.
            let plain = (0..<length).map { $0 % 5 == 4 ? Character("é") : Character(UnicodeScalar(UInt8(0x41 + $0 % 26))) }
            #expect(JSONWriter.string(.string(String(plain))) == "\"" + String(plain) + "\"")
            for position in 0..<length {
                for (special, escaped) in specials {
                    var characters = plain
                    characters[position] = special
                    let expected = "\"" + characters.map { $0 == special ? escaped : String($0) }.joined() + "\""
                    #expect(JSONWriter.string(.string(String(characters))) == expected)
                    #expect(try JSONParser.parse(expected) == .string(String(characters)))
                }
            }
        }
        #expect(JSONWriter.string(.string("")) == "\"\"")
    }

    @Test func roundTripsNumbers() throws {
        for number in [0.1, 1e-7, 123456.789, 1e21, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude] {
            let text = JSONWriter.string(.number(number))
            #expect(try JSONParser.parse(text).numberValue == number, "\(text)")
        }
        #expect(JSONWriter.string(.double(2.0)) == "2")
    }

    @Test func integersAreWrittenAsSwiftPrintsThem() {
        var numbers: [Int64] = [0, 7, -7, 9, 10, -10, 99, 100, 1_793_052_377_292, -1_000_000, .max, .min, .max - 1, .min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            numbers += [power - 1, power, power + 1, -power]
        }
        numbers += (-1_000...1_000).map(Int64.init)
        var random = SystemRandomNumberGenerator()
        numbers += (0..<2_000).map { _ in Int64.random(in: .min ... .max, using: &random) >> Int64.random(in: 0...62, using: &random) }
        for number in numbers {
            var output: [UInt8] = Array("x".utf8)  // appended after what is there
            JSONWriter.writeInteger(number, into: &output)
            #expect(String(decoding: output, as: UTF8.self) == "x\(number)")
        }
    }

    @Test func prettyKeepsDocumentOrder() {
        let value = JSONValue.object(JSONObject([.init("z", .int(1)), .init("a", .array([.bool(true)])), .init("e", .object(JSONObject()))]))
        #expect(JSONWriter.prettyString(value) == "{\n  \"z\": 1,\n  \"a\": [\n    true\n  ],\n  \"e\": {}\n}")
    }
}
