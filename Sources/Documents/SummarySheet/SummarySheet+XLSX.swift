import CXlsxWriter
import Foundation

extension SummarySheet {
    static let worksheetName = "申报汇总表"
    /// Rows of the worksheet, 0-based as libxlsxwriter counts them.
    static let titleRow: UInt32 = 0
    static let reviewAuthorityRow: UInt32 = 1
    static let headerRow: UInt32 = 2
    static let firstDataRow: UInt32 = 3

    /// Writes the sheet as an Excel workbook, replacing `url` only once the workbook is complete.
    public func writeXLSX(to url: URL) throws {
        try AtomicFile.write(to: url) { path in
            // Rows go out in order, so each is flushed as written: no shared-string table to build and hash
            // (a 10,000-row sheet takes about a third less time, and memory stays flat).
            var options = lxw_workbook_options()
            options.constant_memory = UInt8(LXW_TRUE.rawValue)
            guard let workbook = workbook_new_opt(path, &options) else {
                throw DocumentError.spreadsheet("无法创建工作簿")
            }
            var closed = false
            defer { if !closed { workbook_close(workbook) } }
            try fill(workbook)
            closed = true
            try check(workbook_close(workbook))
        }
    }

    /// The workbook's bytes, for sending as a download.
    public func xlsx() throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("申报汇总表.xlsx")
        try writeXLSX(to: file)
        return try Data(contentsOf: file)
    }

    private func fill(_ workbook: UnsafeMutablePointer<lxw_workbook>) throws {
        try setProperties(of: workbook)
        guard let sheet = workbook_add_worksheet(workbook, Self.worksheetName) else {
            throw DocumentError.spreadsheet("无法添加工作表")
        }
        let formats = Formats(workbook)
        let columns = layoutColumns
        let lastColumn = UInt16(columns.count - 1)

        for (index, column) in columns.enumerated() {
            try check(worksheet_set_column(sheet, UInt16(index), UInt16(index), column.excelWidth, nil))
        }
        try check(worksheet_set_row(sheet, Self.titleRow, 36, nil))
        try check(worksheet_merge_range(sheet, Self.titleRow, 0, Self.titleRow, lastColumn, Self.title, formats.title))
        try check(worksheet_set_row(sheet, Self.reviewAuthorityRow, 24, nil))
        try check(worksheet_merge_range(sheet, Self.reviewAuthorityRow, 0, Self.reviewAuthorityRow, lastColumn, reviewAuthorityLine, formats.reviewAuthority))

        try check(worksheet_set_row(sheet, Self.headerRow, rowHeight(headers, columns: columns), nil))
        for (index, header) in headers.enumerated() {
            try check(worksheet_write_string(sheet, Self.headerRow, UInt16(index), header, formats.header))
        }

        var row = Self.firstDataRow
        for (number, texts) in cellTexts.enumerated() {
            try check(worksheet_set_row(sheet, row, rowHeight(texts, columns: columns), nil))
            try check(worksheet_write_number(sheet, row, 0, Double(number + 1), formats.centeredCell))
            for (index, column) in columns.enumerated().dropFirst() {
                try check(worksheet_write_string(sheet, row, UInt16(index), SpreadsheetText.neutralised(texts[index]), column.centered ? formats.centeredCell : formats.cell))
            }
            row += 1
        }

        row += 1
        let instructionWidth = columns.reduce(0) { $0 + $1.excelWidth }
        for text in ["填表说明："] + instructions {
            let lines = Self.estimatedLines(text, width: instructionWidth)
            try check(worksheet_set_row(sheet, row, Double(lines) * 14 + 4, nil))
            try check(worksheet_merge_range(sheet, row, 0, row, lastColumn, text, formats.instruction))
            row += 1
        }

        worksheet_freeze_panes(sheet, Self.firstDataRow, 0)
        worksheet_set_landscape(sheet)
        worksheet_set_paper(sheet, 9)
        // GB/T 9704 margins, in inches.
        worksheet_set_margins(sheet, 28 / 25.4, 26 / 25.4, 37 / 25.4, 35 / 25.4)
        worksheet_center_horizontally(sheet)
        worksheet_fit_to_pages(sheet, 1, 0)
        try check(worksheet_repeat_rows(sheet, Self.headerRow, Self.headerRow))
        try check(worksheet_set_footer(sheet, "&C— &P —"))
    }

    private func setProperties(of workbook: UnsafeMutablePointer<lxw_workbook>) throws {
        let title = strdup(Self.title)
        let author = strdup("晋技改")
        defer {
            free(title)
            free(author)
        }
        var properties = lxw_doc_properties()
        properties.title = title
        properties.author = author
        try check(workbook_set_properties(workbook, &properties))
    }

    /// Excel does not grow rows for wrapped text in every viewer (and never for merged cells), so heights are set from the text.
    private func rowHeight(_ texts: [String], columns: [Column]) -> Double {
        let lines = zip(texts, columns).map { Self.estimatedLines($0, width: $1.excelWidth) }.max() ?? 1
        return Double(lines) * 14 + 6
    }

    /// Lines `text` needs in a column `width` characters wide: a Chinese character takes about two widths of “0”.
    /// Counted over UTF-8 bytes (one lead byte per character) because it runs for every cell of sheets of 10,000 rows.
    static func estimatedLines(_ text: String, width: Double) -> Int {
        let available = max(width - 1, 1)
        var total = 0
        var length = 0.0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                total += max(1, Int((length / available).rounded(.up)))
                length = 0
            } else if byte < 0x80 {
                length += 1.1
            } else if byte & 0xC0 != 0x80 {
                length += 2.1
            }
        }
        return total + max(1, Int((length / available).rounded(.up)))
    }

    private func check(_ error: lxw_error) throws {
        guard error == LXW_NO_ERROR else {
            throw DocumentError.spreadsheet(String(cString: lxw_strerror(error)))
        }
    }

    private struct Formats {
        let title: UnsafeMutablePointer<lxw_format>
        let reviewAuthority: UnsafeMutablePointer<lxw_format>
        let header: UnsafeMutablePointer<lxw_format>
        let cell: UnsafeMutablePointer<lxw_format>
        let centeredCell: UnsafeMutablePointer<lxw_format>
        let instruction: UnsafeMutablePointer<lxw_format>

        init(_ workbook: UnsafeMutablePointer<lxw_workbook>) {
            func format(font: String, size: Double, alignment: lxw_format_alignments, border: Bool, configure: (UnsafeMutablePointer<lxw_format>) -> Void = { _ in }) -> UnsafeMutablePointer<lxw_format> {
                let format = workbook_add_format(workbook)!
                format_set_font_name(format, font)
                format_set_font_size(format, size)
                format_set_align(format, UInt8(alignment.rawValue))
                format_set_align(format, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
                format_set_text_wrap(format)
                if border { format_set_border(format, UInt8(LXW_BORDER_THIN.rawValue)) }
                configure(format)
                return format
            }
            title = format(font: "黑体", size: 18, alignment: LXW_ALIGN_CENTER, border: false) { format_set_bold($0) }
            reviewAuthority = format(font: "宋体", size: 12, alignment: LXW_ALIGN_LEFT, border: false)
            header = format(font: "黑体", size: 11, alignment: LXW_ALIGN_CENTER, border: true)
            cell = format(font: "宋体", size: 11, alignment: LXW_ALIGN_LEFT, border: true)
            centeredCell = format(font: "宋体", size: 11, alignment: LXW_ALIGN_CENTER, border: true)
            instruction = format(font: "宋体", size: 10, alignment: LXW_ALIGN_LEFT, border: false)
        }
    }
}
