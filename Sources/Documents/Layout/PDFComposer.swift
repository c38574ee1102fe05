import CPangoCairo
import Foundation

/// Fills A4 pages from top to bottom with paragraphs and tables, starting new pages as needed,
/// and numbers every page in the official way.
final class PDFComposer {
    /// Receives the PDF bytes from cairo's stream callback.
    private final class Output {
        var data = Data()
    }

    private let output = Output()
    private let surface: OpaquePointer
    private let cairo: OpaquePointer
    private let pango: OpaquePointer
    private(set) var geometry: PageGeometry
    private(set) var pageCount = 0
    private var pageIsOpen = false
    private var cursor: Double
    /// Added to the page count for the printed number: pages merged in from elsewhere (uploads, a separately drawn 目录)
    /// take numbers between the composer's own pages.
    private var numberOffset = 0
    /// Measured widths of unbreakable runs, shared by the tables of one document.
    private var runWidths: [RunKey: Double] = [:]

    private struct RunKey: Hashable {
        var run: String
        var font: String
        var size: Double
        var bold: Bool
    }
    /// Whether pages closed from now on carry a number; a cover does not.
    var numbersPages: Bool

    init(title: String, orientation: PageOrientation, numbersPages: Bool = true) {
        self.numbersPages = numbersPages
        geometry = PageGeometry(orientation: orientation)
        surface = cairo_pdf_surface_create_for_stream(
            { closure, bytes, length in
                let output = Unmanaged<Output>.fromOpaque(closure!).takeUnretainedValue()
                if let bytes { output.data.append(bytes, count: Int(length)) }
                return CAIRO_STATUS_SUCCESS
            },
            Unmanaged.passUnretained(output).toOpaque(),
            geometry.width,
            geometry.height
        )
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "晋技改")
        cairo = cairo_create(surface)
        pango = pango_cairo_create_context(cairo)
        pango_context_set_language(pango, pango_language_from_string("zh-cn"))
        // Unhinted metrics: positions computed here are the positions in the PDF, at any zoom.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(pango, options)
        cairo_font_options_destroy(options)
        cursor = geometry.bodyTop
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(pango))
        cairo_destroy(cairo)
        cairo_surface_destroy(surface)
    }

    private var remainingHeight: Double { geometry.bodyBottom - cursor }
    private var pageIsEmpty: Bool { cursor <= geometry.bodyTop + 0.01 }

    func startPage(_ orientation: PageOrientation? = nil) {
        if pageIsOpen { closePage() }
        if let orientation, orientation != geometry.orientation {
            geometry = PageGeometry(orientation: orientation)
            cairo_pdf_surface_set_size(surface, geometry.width, geometry.height)
        }
        pageCount += 1
        pageIsOpen = true
        cursor = geometry.bodyTop
    }

    private func ensurePage() {
        if !pageIsOpen { startPage() }
    }

    /// Closes the current page and leaves the next `count` numbers to pages that will be merged in here.
    func skipPageNumbers(_ count: Int) {
        if pageIsOpen { closePage() }
        numberOffset += count
    }

    private func closePage() {
        if numbersPages { drawPageNumber() }
        cairo_show_page(cairo)
        pageIsOpen = false
    }

    /// GB/T 9704-2012 §7.5: 4号 digits between 一字线, 7 mm below the type area,
    /// one character in from the outer edge: right on odd pages, left on even pages.
    private func drawPageNumber() {
        Self.drawPageNumber(pageCount + numberOffset, on: cairo, context: pango, pageWidth: geometry.width, pageHeight: geometry.height)
    }

    /// Also used for the numbers stamped onto uploaded pages of any size: the same distances from the bottom and outer edges.
    static func drawPageNumber(_ number: Int, on cairo: OpaquePointer, context: OpaquePointer, pageWidth: Double, pageHeight: Double) {
        let size = FontSize.size4
        let alignment: TextStyle.Alignment = number.isMultiple(of: 2) ? .left : .right
        let left = PageGeometry.marginLeft
        let width = pageWidth - PageGeometry.marginLeft - PageGeometry.marginRight
        let flow = TextFlow(
            [TextFlow.Paragraph(text: "— \(number) —", style: TextStyle(family: .serif, size: size, alignment: alignment))],
            width: width - 2 * size,
            context: context
        )
        flow.draw(flow.lines.indices, on: cairo, x: left + size, y: pageHeight - PageGeometry.marginBottom + Length.millimetres(7))
    }

    /// A scan alone on a page, scaled to fit the type area and centred, so that the page number below stays clear of it.
    func imagePage(_ image: ScanImage) {
        startPage()
        let scale = min(geometry.bodyWidth / Double(image.width), geometry.bodyHeight / Double(image.height))
        let width = Double(image.width) * scale
        let height = Double(image.height) * scale
        cairo_save(cairo)
        cairo_translate(cairo, geometry.bodyLeft + (geometry.bodyWidth - width) / 2, geometry.bodyTop + (geometry.bodyHeight - height) / 2)
        cairo_scale(cairo, scale, scale)
        cairo_set_source_surface(cairo, image.surface, 0, 0)
        cairo_paint(cairo)
        cairo_restore(cairo)
        cursor = geometry.bodyBottom
    }

    /// Starts a new page unless `height` points are left, so that a heading is not stranded at the foot of a page.
    func keepSpace(_ height: Double) {
        ensurePage()
        if remainingHeight < height, !pageIsEmpty { startPage() }
    }

    func space(_ height: Double) {
        ensurePage()
        cursor = min(cursor + height, geometry.bodyBottom)
    }

    func paragraph(_ text: String, style: TextStyle, spaceBefore: Double = 0) {
        paragraphs([TextFlow.Paragraph(text: text, style: style, spaceBefore: spaceBefore)])
    }

    /// Paragraphs across the body width; lines that do not fit continue on the next page.
    func paragraphs(_ paragraphs: [TextFlow.Paragraph]) {
        ensurePage()
        let flow = TextFlow(paragraphs, width: geometry.bodyWidth, context: pango)
        var next = 0
        while next < flow.lines.count {
            var range = flow.lines(from: next, fitting: remainingHeight)
            if range.isEmpty {
                if !pageIsEmpty {
                    startPage()
                    continue
                }
                range = next..<next + 1
            }
            flow.draw(range, on: cairo, x: geometry.bodyLeft, y: cursor)
            cursor += flow.height(of: range)
            next = range.upperBound
            if next < flow.lines.count { startPage() }
        }
    }

    /// A label spread evenly over `labelWidth` (as 申　报　专　项 on the 申请报告 cover), a colon, and the value written on
    /// a ruled line that runs to the right edge of the type area; a long value continues on further ruled lines.
    func underlinedField(label: String, value: String, labelWidth: Double, style: TextStyle, lineSpacing: Double) {
        ensurePage()
        let characters = label.map(String.init) + ["："]
        let valueLeft = geometry.bodyLeft + labelWidth + style.size
        let valueFlow = TextFlow([TextFlow.Paragraph(text: value, style: style.aligned(.center))], width: geometry.bodyRight - valueLeft, context: pango)
        let lineHeight = valueFlow.lines.first.map { $0.bottom - $0.top } ?? style.size * 1.4
        if lineHeight * Double(max(1, valueFlow.lines.count)) > remainingHeight, !pageIsEmpty { startPage() }
        let step = characters.count > 2 ? (labelWidth - style.size) / Double(characters.count - 2) : 0
        for (index, character) in characters.enumerated() {
            let flow = TextFlow([TextFlow.Paragraph(text: character, style: style)], width: style.size * 2, context: pango)
            let x = index == characters.count - 1 ? geometry.bodyLeft + labelWidth : geometry.bodyLeft + Double(index) * step
            flow.draw(flow.lines.indices, on: cairo, x: x, y: cursor)
        }
        valueFlow.draw(valueFlow.lines.indices, on: cairo, x: valueLeft, y: cursor)
        cairo_set_line_width(cairo, 0.75)
        for index in 0..<max(1, valueFlow.lines.count) {
            let baseline = index < valueFlow.lines.count ? valueFlow.lines[index].baseline : lineHeight * 0.8
            let y = cursor + baseline + style.size * 0.3
            cairo_move_to(cairo, valueLeft, y)
            cairo_line_to(cairo, geometry.bodyRight, y)
            cairo_stroke(cairo)
        }
        cursor += lineHeight * Double(max(1, valueFlow.lines.count)) + lineSpacing
    }

    /// A paragraph whose last line ends at the bottom of the type area, such as the date on a cover.
    func paragraphAtBottom(_ text: String, style: TextStyle) {
        ensurePage()
        let flow = TextFlow([TextFlow.Paragraph(text: text, style: style)], width: geometry.bodyWidth, context: pango)
        cursor = max(cursor, geometry.bodyBottom - flow.height)
        flow.draw(flow.lines.indices, on: cairo, x: geometry.bodyLeft, y: cursor)
        cursor += flow.height
    }

    /// A ruled table across the body width. A row that does not fit moves to the next page when it would fit there;
    /// a row taller than a page is split line by line. The header row is repeated on every page the table reaches.
    func table(_ table: Table) {
        ensurePage()
        let widths = table.columnWidths(totalWidth: geometry.bodyWidth, minimums: unbreakableWidths(of: table))
        let headerHeight = table.header.map { RowLayout($0, widths: widths, table: table, context: pango).remainingHeight } ?? 0
        var headerIsOnPage = false
        var rowsOnPage = 0

        func drawHeader() {
            guard let header = table.header else { return }
            let layout = RowLayout(header, widths: widths, table: table, context: pango)
            drawSlice(of: layout, layout.remainder, height: headerHeight, wholeRow: true, borderWidth: table.borderWidth)
        }

        for (index, row) in table.rows.enumerated() {
            let layout = RowLayout(row, widths: widths, table: table, context: pango)
            if index == table.keepTogetherFrom, !pageIsEmpty {
                let together = table.rows[index...].reduce(0.0) { $0 + RowLayout($1, widths: widths, table: table, context: pango).remainingHeight }
                if together > remainingHeight + 0.01, together <= geometry.bodyHeight - headerHeight {
                    startPage()
                    headerIsOnPage = false
                }
            }
            while !layout.isFinished {
                if !headerIsOnPage {
                    if headerHeight + layout.smallestSlice > remainingHeight + 0.01, !pageIsEmpty { startPage() }
                    drawHeader()
                    headerIsOnPage = true
                    rowsOnPage = 0
                }
                let needed = layout.remainingHeight
                if needed <= remainingHeight + 0.01 {
                    drawSlice(of: layout, layout.remainder, height: needed, wholeRow: layout.isUntouched, borderWidth: table.borderWidth)
                    rowsOnPage += 1
                    continue
                }
                if rowsOnPage > 0, needed <= geometry.bodyHeight - headerHeight {
                    startPage()
                    headerIsOnPage = false
                    continue
                }
                var slice = layout.slice(fitting: remainingHeight)
                if slice.allSatisfy(\.isEmpty) {
                    if rowsOnPage > 0 {
                        startPage()
                        headerIsOnPage = false
                        continue
                    }
                    // A single line taller than the page: draw it anyway rather than loop forever.
                    slice = layout.remainder.map { $0.isEmpty ? $0 : $0.lowerBound..<$0.lowerBound + 1 }
                }
                drawSlice(of: layout, slice, height: layout.height(of: slice), wholeRow: false, borderWidth: table.borderWidth)
                rowsOnPage += 1
                if !layout.isFinished {
                    startPage()
                    headerIsOnPage = false
                }
            }
        }
        if table.rows.isEmpty, table.header != nil { drawHeader() }
    }

    /// Per column, the width its widest number or identifier needs, padding included.
    private func unbreakableWidths(of table: Table) -> [Double] {
        table.columns.indices.map { column in
            var widest = 0.0
            for row in [table.header].compactMap({ $0 }) + table.rows {
                for paragraph in row.cells[column].paragraphs {
                    for run in TextFlow.unbreakableRuns(paragraph.text) {
                        let key = RunKey(run: run, font: paragraph.style.family.fontName, size: paragraph.style.size, bold: paragraph.style.bold)
                        let width = runWidths[key] ?? TextFlow.naturalWidth(run, style: paragraph.style, context: pango)
                        runWidths[key] = width
                        widest = max(widest, width)
                    }
                }
            }
            return widest + 2 * table.horizontalPadding + 0.5
        }
    }

    /// Draws the given lines of every cell as one band of the row; only an undivided row centres its cells vertically.
    private func drawSlice(of row: RowLayout, _ slice: [Range<Int>], height: Double, wholeRow: Bool, borderWidth: Double) {
        var x = geometry.bodyLeft
        cairo_set_line_width(cairo, borderWidth)
        for (index, flow) in row.flows.enumerated() {
            let width = row.widths[index]
            cairo_rectangle(cairo, x, cursor, width, height)
            cairo_stroke(cairo)
            var top = cursor + row.verticalPadding
            if wholeRow, row.verticalAlignments[index] == .center {
                top += (height - 2 * row.verticalPadding - flow.height(of: slice[index])) / 2
            }
            flow.draw(slice[index], on: cairo, x: x + row.horizontalPadding, y: top)
            x += width
        }
        row.markDrawn(slice)
        cursor += height
    }

    /// Closes the last page and returns the finished PDF.
    func finish() throws -> Data {
        if pageCount == 0 { startPage() }
        if pageIsOpen { closePage() }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw DocumentError.pdfRendering(String(cString: cairo_status_to_string(status)))
        }
        return output.data
    }
}
