/// A plain-text table for terminals: columns sized to their widest cell, numbers right-aligned.
struct TableWriter {
    enum Alignment { case left, right }

    struct Column {
        var title: String
        var alignment: Alignment
    }

    var columns: [Column]
    private(set) var rows: [[String]] = []

    init(_ columns: [(String, Alignment)]) {
        self.columns = columns.map { Column(title: $0.0, alignment: $0.1) }
    }

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    func render(to output: StandardOutput) {
        var widths = columns.map { $0.title.count }
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                if index == cells.count - 1 && columns[index].alignment == .left { return cell }
                return columns[index].alignment == .left ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        output.line(format(columns.map(\.title)))
        for row in rows { output.line(format(row)) }
    }
}
