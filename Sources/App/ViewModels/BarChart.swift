import Foundation

/// A horizontal bar chart drawn on the server as inline SVG: no script, no external resource, printable.
/// Every text that goes into the markup is escaped here, so that the template may output it unescaped.
struct BarChart {
    struct Bar {
        var label: String
        var value: Int64
        var valueText: String
        var href: String?
    }

    var title: String
    var bars: [Bar]

    static let width = 720
    static let labelWidth = 220
    static let valueWidth = 150
    static let rowHeight = 26

    var svg: String {
        let height = max(1, bars.count) * Self.rowHeight + 8
        let barArea = Double(Self.width - Self.labelWidth - Self.valueWidth)
        let largest = bars.map(\.value).max() ?? 0
        var markup = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bar-chart\" role=\"img\" width=\"\(Self.width)\" height=\"\(height)\" viewBox=\"0 0 \(Self.width) \(height)\" aria-label=\"\(HTML.escaped(title))\">"
        markup += "<title>\(HTML.escaped(title))</title>"
        for (index, bar) in bars.enumerated() {
            let y = index * Self.rowHeight + 4
            let length = largest > 0 ? max(bar.value > 0 ? 2 : 0, Int((Double(bar.value) / Double(largest) * barArea).rounded())) : 0
            var row = "<text x=\"\(Self.labelWidth - 8)\" y=\"\(y + 17)\" text-anchor=\"end\" font-size=\"13\" fill=\"#303133\">\(HTML.escaped(Self.shortened(bar.label)))</text>"
            row += "<rect x=\"\(Self.labelWidth)\" y=\"\(y + 4)\" width=\"\(length)\" height=\"\(Self.rowHeight - 10)\" fill=\"#409eff\"><title>\(HTML.escaped("\(bar.label)：\(bar.valueText)"))</title></rect>"
            row += "<text x=\"\(Self.labelWidth + length + 6)\" y=\"\(y + 17)\" font-size=\"13\" fill=\"#303133\">\(HTML.escaped(bar.valueText))</text>"
            if let href = bar.href {
                row = "<a href=\"\(HTML.escaped(href))\">\(row)</a>"
            }
            markup += row
        }
        return markup + "</svg>"
    }

    /// Long names (开发区、行业) are cut so that the bars keep their room; the full name is in the bar's tooltip.
    static func shortened(_ label: String) -> String {
        label.count > 14 ? String(label.prefix(13)) + "…" : label
    }

}
