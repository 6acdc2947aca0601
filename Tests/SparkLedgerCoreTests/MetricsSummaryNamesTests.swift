@testable import SparkLedgerCore
import Testing

/// The reader's static names of the summary's fields (`MetricsSummary.names`) are the contract's
/// names, in `index` order; and a canonical payload, its keys in name order with only some of
/// the fields present, reads the same as the contract's order.
@Suite struct MetricsSummaryNamesTests {
    @Test func staticNamesAreTheFieldsRawValues() {
        #expect(MetricsSummary.names.count == MetricsSummary.Field.allCases.count)
        for field in MetricsSummary.Field.allCases {
            #expect(MetricsSummary.names[field.index].description == field.rawValue, "\(field)")
        }
    }

    @Test func canonicalPayloadsWithSomeFieldsReadAsTheContractsOrder() throws {
        let fields = MetricsSummary.Field.allCases
        for stride in 1...5 {
            let some = fields.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
            let members = some.enumerated().map { position, field -> JSONObject.Member in
                .init(field.rawValue, field.kind == .count ? .int(Int64(position) * 100 + 3) : .double(field.kind == .fraction ? 0.5 : 1.25))
            }
            let contractOrder = try MetricsSummary(PayloadReader(JSONObject(members)))
            // The payload as the log stores it: canonical text, keys in name order.
            let canonical = JSONWriter.string(.object(JSONObject(members)))
            let tape = try JSONParser.tape(canonical)
            let stored = try MetricsSummary(PayloadReader(tape, object: JSONTape.root, path: "payload"))
            #expect(stored == contractOrder, "every \(stride)th field")
            #expect(fields.filter { stored.value($0) != nil } == some)
        }
    }
}
