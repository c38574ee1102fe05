import CPangoCairo

/// Paragraphs laid out by Pango at a fixed width and measured line by line,
/// so that a flow can be drawn in slices when it has to continue on the next page.
final class TextFlow {
    struct Paragraph {
        var text: String
        var style: TextStyle
        var spaceBefore = 0.0
    }

    struct Line {
        let line: UnsafeMutablePointer<PangoLayoutLine>
        /// Offsets from the top and left of the flow, in points.
        let top: Double
        let bottom: Double
        let baseline: Double
        let left: Double
    }

    let width: Double
    private var layouts: [OpaquePointer] = []
    private(set) var lines: [Line] = []

    init(_ paragraphs: [Paragraph], width: Double, context: OpaquePointer) {
        self.width = width
        var offset = 0.0
        for paragraph in paragraphs {
            offset += paragraph.spaceBefore
            let layout = Self.makeLayout(paragraph, width: width, context: context)
            layouts.append(layout)
            offset = appendLines(of: layout, at: offset)
        }
    }

    deinit {
        layouts.forEach { g_object_unref(UnsafeMutableRawPointer($0)) }
    }

    var height: Double { lines.last?.bottom ?? 0 }

    /// Where a slice starting at line `index` begins: a continuation drops the space above its first line,
    /// the start of the flow keeps the space before its first paragraph.
    private func sliceTop(_ index: Int) -> Double {
        index == 0 ? 0 : lines[index].top
    }

    /// Height of `range` when drawn on its own.
    func height(of range: Range<Int>) -> Double {
        range.isEmpty ? 0 : lines[range.upperBound - 1].bottom - sliceTop(range.lowerBound)
    }

    /// The longest run of lines starting at `start` that fits into `available` points.
    func lines(from start: Int, fitting available: Double) -> Range<Int> {
        var end = start
        while end < lines.count, lines[end].bottom - sliceTop(start) <= available + 0.01 {
            end += 1
        }
        return start..<end
    }

    /// Draws `range` with the top of the slice at `y`.
    func draw(_ range: Range<Int>, on cairo: OpaquePointer, x: Double, y: Double) {
        guard let first = range.first else { return }
        let shift = sliceTop(first)
        for line in lines[range] {
            cairo_move_to(cairo, x + line.left, y + line.baseline - shift)
            pango_cairo_show_layout_line(cairo, line.line)
        }
    }

    /// The natural width of one line of text, unwrapped.
    static func naturalWidth(_ text: String, style: TextStyle, context: OpaquePointer) -> Double {
        let layout = makeLayout(Paragraph(text: text, style: style), width: -1, context: context)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        var extents = PangoRectangle()
        pango_layout_get_extents(layout, nil, &extents)
        return Double(extents.width) / Double(PANGO_SCALE)
    }

    /// Runs that must not be broken: numbers (“9,600.00”), policy and approval numbers, codes. Maximal runs of ASCII
    /// letters, digits and the marks inside them; Chinese text may break anywhere.
    static func unbreakableRuns(_ text: String) -> [String] {
        var runs: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ",.-/%#_:".unicodeScalars.contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                runs.append(current)
                current = ""
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    private static func makeLayout(_ paragraph: Paragraph, width: Double, context: OpaquePointer) -> OpaquePointer {
        let layout = pango_layout_new(context)!
        let font = pango_font_description_new()
        pango_font_description_set_family(font, paragraph.style.family.fontName)
        pango_font_description_set_weight(font, paragraph.style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_absolute_size(font, paragraph.style.size * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, font)
        pango_font_description_free(font)
        // Chinese breaks between any two characters, Latin runs (numbers, model codes) at spaces where possible.
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_width(layout, width < 0 ? -1 : Int32(width * Double(PANGO_SCALE)))
        pango_layout_set_alignment(layout, paragraph.style.alignment.pango)
        pango_layout_set_text(layout, paragraph.text, -1)
        return layout
    }

    private func appendLines(of layout: OpaquePointer, at offset: Double) -> Double {
        let iterator = pango_layout_get_iter(layout)
        defer { pango_layout_iter_free(iterator) }
        let scale = Double(PANGO_SCALE)
        var bottom = offset
        repeat {
            var extents = PangoRectangle()
            pango_layout_iter_get_line_extents(iterator, nil, &extents)
            let line = pango_layout_iter_get_line_readonly(iterator)!
            var ownExtents = PangoRectangle()
            pango_layout_line_get_extents(line, nil, &ownExtents)
            let baseline = Double(pango_layout_iter_get_baseline(iterator)) / scale
            let top = offset + Double(extents.y) / scale
            bottom = top + Double(extents.height) / scale
            lines.append(Line(
                line: line,
                top: top,
                bottom: bottom,
                baseline: offset + baseline,
                left: Double(extents.x - ownExtents.x) / scale
            ))
        } while pango_layout_iter_next_line(iterator) != 0
        return bottom
    }
}

extension TextStyle.Alignment {
    var pango: PangoAlignment {
        switch self {
        case .left: PANGO_ALIGN_LEFT
        case .center: PANGO_ALIGN_CENTER
        case .right: PANGO_ALIGN_RIGHT
        }
    }
}
