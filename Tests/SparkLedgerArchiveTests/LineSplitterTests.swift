import SparkLedgerArchive
import Testing

@Suite struct LineSplitterTests {
    enum Line: Equatable {
        case text(Int64, String)
        case oversized(Int64, prefix: String, size: Int)
    }

    private func split(_ text: String, chunk: Int, limit: Int = 1000) -> [Line] {
        var splitter = LineSplitter(maximumLineBytes: limit)
        var lines: [Line] = []
        let bytes = Array(text.utf8)
        func record(_ event: LineEvent) {
            switch event {
            case .line(let number, let line): lines.append(.text(number, String(decoding: line, as: UTF8.self)))
            case .oversized(let number, let prefix, let size): lines.append(.oversized(number, prefix: String(decoding: prefix, as: UTF8.self), size: size))
            }
        }
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            bytes[offset..<end].withUnsafeBufferPointer { splitter.feed($0, record) }
            offset = end
        }
        splitter.finish(record)
        return lines
    }

    @Test(arguments: [1, 2, 3, 7, 64, 100_000])
    func chunkBoundariesDoNotMatter(chunk: Int) {
        let text = "{\"a\":1}\n\r\n{\"b\":2}\r\n\nlast line without newline"
        #expect(split(text, chunk: chunk) == [
            .text(1, "{\"a\":1}"), .text(2, ""), .text(3, "{\"b\":2}"), .text(4, ""), .text(5, "last line without newline"),
        ])
    }

    @Test(arguments: [1, 5, 4096])
    func longLinesAreReportedWithTheirPrefixAndSize(chunk: Int) {
        let long = String(repeating: "x", count: 25)
        #expect(split("ok\n\(long)\nok2\n\(long)\r\n" + String(repeating: "y", count: 10) + "\r\n", chunk: chunk, limit: 10) == [
            .text(1, "ok"), .oversized(2, prefix: "xxxxxxxxxx", size: 25), .text(3, "ok2"),
            .oversized(4, prefix: "xxxxxxxxxx", size: 25), .text(5, "yyyyyyyyyy"),
        ])
        // Exactly the limit is fine; a CR does not count.
        #expect(split("0123456789\r\n01234567890", chunk: chunk, limit: 10) == [
            .text(1, "0123456789"), .oversized(2, prefix: "0123456789", size: 11),
        ])
    }

    @Test func emptyInputHasNoLines() {
        #expect(split("", chunk: 10).isEmpty)
        #expect(split("\n", chunk: 10) == [.text(1, "")])
    }
}
