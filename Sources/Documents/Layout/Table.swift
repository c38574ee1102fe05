/// A ruled table: every cell has a border and its text wraps inside the column.
struct Table {
    struct Column {
        /// Share of the body width, relative to the other columns.
        var weight: Double
    }

    struct Cell {
        enum VerticalAlignment {
            case top
            case center
        }

        var paragraphs: [TextFlow.Paragraph]
        var verticalAlignment = VerticalAlignment.center

        init(_ text: String, style: TextStyle, verticalAlignment: VerticalAlignment = .center) {
            paragraphs = [TextFlow.Paragraph(text: text, style: style)]
            self.verticalAlignment = verticalAlignment
        }

        init(paragraphs: [TextFlow.Paragraph], verticalAlignment: VerticalAlignment = .center) {
            self.paragraphs = paragraphs
            self.verticalAlignment = verticalAlignment
        }
    }

    struct Row {
        var cells: [Cell]
        /// Space kept even when the text is shorter, e.g. for handwriting.
        var minimumHeight = 0.0
    }

    var columns: [Column]
    /// Drawn above the first row and again at the top of every page the table continues on.
    var header: Row?
    var rows: [Row]
    /// Rows from this index on are drawn on one page: they start a new page when they do not fit on this one.
    var keepTogetherFrom: Int?
    var horizontalPadding = 4.0
    var verticalPadding = 3.0
    var borderWidth = 0.75

    /// Widths in proportion to the weights, except that a column narrower than its `minimums` entry (its widest
    /// number or identifier) is widened at the expense of columns with room to spare. Where the spare room is not
    /// enough, the proportional widths stand and long runs break.
    func columnWidths(totalWidth: Double, minimums: [Double]? = nil) -> [Double] {
        let totalWeight = columns.reduce(0) { $0 + $1.weight }
        let proportional = columns.map { totalWidth * $0.weight / totalWeight }
        guard let minimums, minimums.count == columns.count else { return proportional }
        let shortfall = zip(proportional, minimums).reduce(0) { $0 + max(0, $1.1 - $1.0) }
        let spare = zip(proportional, minimums).reduce(0) { $0 + max(0, $1.0 - $1.1) }
        guard shortfall > 0, spare >= shortfall else { return proportional }
        return zip(proportional, minimums).map { width, minimum in
            width < minimum ? minimum : width - (width - minimum) * shortfall / spare
        }
    }
}

/// A table row whose cells are laid out; tracks how much of each cell is already drawn when the row is split across pages.
final class RowLayout {
    let flows: [TextFlow]
    let widths: [Double]
    let verticalAlignments: [Table.Cell.VerticalAlignment]
    let horizontalPadding: Double
    let minimumHeight: Double
    let verticalPadding: Double
    private(set) var nextLine: [Int]

    init(_ row: Table.Row, widths: [Double], table: Table, context: OpaquePointer) {
        precondition(row.cells.count == widths.count, "every row needs one cell per column")
        flows = zip(row.cells, widths).map { cell, width in
            TextFlow(cell.paragraphs, width: width - 2 * table.horizontalPadding, context: context)
        }
        self.widths = widths
        verticalAlignments = row.cells.map(\.verticalAlignment)
        horizontalPadding = table.horizontalPadding
        minimumHeight = row.minimumHeight
        verticalPadding = table.verticalPadding
        nextLine = Array(repeating: 0, count: flows.count)
    }

    var isUntouched: Bool { nextLine.allSatisfy { $0 == 0 } }
    var isFinished: Bool { zip(flows, nextLine).allSatisfy { $0.lines.count == $1 } }

    var remainingHeight: Double {
        let text = zip(flows, nextLine).map { $0.height(of: $1..<$0.lines.count) }.max() ?? 0
        let height = text + 2 * verticalPadding
        return isUntouched ? max(height, minimumHeight) : height
    }

    /// Height of the first line of every cell still to draw: the least a page must offer to make progress.
    var smallestSlice: Double {
        let text = zip(flows, nextLine).map { $0.height(of: $1..<min($1 + 1, $0.lines.count)) }.max() ?? 0
        return text + 2 * verticalPadding
    }

    /// The lines of each cell that fit into `available` points, from where the previous slice ended.
    func slice(fitting available: Double) -> [Range<Int>] {
        zip(flows, nextLine).map { $0.lines(from: $1, fitting: available - 2 * verticalPadding) }
    }

    func height(of slice: [Range<Int>]) -> Double {
        (zip(flows, slice).map { $0.height(of: $1) }.max() ?? 0) + 2 * verticalPadding
    }

    func markDrawn(_ slice: [Range<Int>]) {
        nextLine = slice.map(\.upperBound)
    }

    /// A slice holding the rest of every cell.
    var remainder: [Range<Int>] {
        zip(flows, nextLine).map { $1..<$0.lines.count }
    }
}
