@testable import SparkLedgerCore
import Testing

/// A nested reader names its fields by their whole path, however deep (the path is made only
/// for an error message).
@Suite struct PayloadReaderPathTests {
    @Test func errorsNameTheWholePathAtEveryDepth() throws {
        let tape = try JSONParser.tape(#"{"a":{"b":{"c":{"d":{"e":{"n":"x"}}}}},"labels":{"tier":1}}"#)
        var reader = PayloadReader(tape, object: JSONTape.root, path: "payload")
        #expect(reader.path == "payload")
        var expected = "payload"
        for key: StaticString in ["a", "b", "c", "d", "e"] {
            reader = try #require(try reader.optionalObject(key))
            expected += ".\(key)"
            #expect(reader.path == expected)
        }
        #expect(throws: FieldError(field: "payload.a.b.c.d.e.n", expected: "an integer", found: #""x""#)) {
            try reader.optionalInteger("n")
        }
        let top = PayloadReader(tape, object: JSONTape.root, path: "payload")
        #expect(throws: FieldError(field: "payload.labels.tier", expected: "a string", found: "1")) {
            try top.optionalStringObject("labels")
        }
        let unnamed = try #require(try PayloadReader(tape, object: JSONTape.root).optionalObject("a"))
        #expect(unnamed.path == "a")
    }
}
