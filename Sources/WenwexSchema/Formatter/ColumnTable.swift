/// Rows of cells printed with every column padded to its widest cell, the way `prisma format`
/// lines up field names, types and attributes.
///
/// Lines that are not rows (comments, documentation, blank lines) are interleaved in order but
/// do not affect the column widths.
struct ColumnTable {
    private enum Line {
        case row([String])
        case verbatim(String)
    }

    private var lines: [Line] = []
    let indent: String

    init(indent: String = "  ") {
        self.indent = indent
    }

    mutating func row(_ cells: [String]) {
        lines.append(.row(cells))
    }

    mutating func verbatim(_ text: String) {
        lines.append(.verbatim(text))
    }

    /// The lines, indented, without trailing spaces; empty cells take no room at the end of a row.
    func render() -> [String] {
        var widths: [Int] = []
        for case .row(let cells) in lines {
            let used = lastNonEmpty(cells)
            for (column, cell) in cells.enumerated() where column <= used {
                if column >= widths.count { widths.append(0) }
                widths[column] = max(widths[column], cell.count)
            }
        }
        return lines.map { line in
            switch line {
            case .verbatim(let text):
                return text.isEmpty ? "" : indent + text
            case .row(let cells):
                let used = lastNonEmpty(cells)
                var text = ""
                for (column, cell) in cells.enumerated() where column <= used {
                    if column == used {
                        text += cell
                    } else {
                        text += cell.padding(toLength: widths[column], withPad: " ", startingAt: 0) + " "
                    }
                }
                return indent + text.trailingSpacesTrimmed
            }
        }
    }

    /// The index of the last cell with text.
    private func lastNonEmpty(_ cells: [String]) -> Int {
        cells.lastIndex(where: { !$0.isEmpty }) ?? 0
    }
}

extension String {
    var trailingSpacesTrimmed: String {
        var text = self
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
