import Foundation
import Testing

/// GB/T 9704 type area on A4, restated here in millimetres so the tests do not borrow the code under test.
struct PageLayout {
    static let points = 72 / 25.4

    let landscape: Bool
    var width: Double { (landscape ? 297 : 210) * Self.points }
    var height: Double { (landscape ? 210 : 297) * Self.points }
    var bodyLeft: Double { 28 * Self.points }
    var bodyRight: Double { width - 26 * Self.points }
    var bodyTop: Double { 37 * Self.points }
    var bodyBottom: Double { height - 35 * Self.points }

    /// Left edge and width of each column of a table spanning the type area, from relative column weights.
    func columns(_ weights: [Double]) -> [(x: Double, width: Double)] {
        let total = weights.reduce(0, +)
        var x = bodyLeft
        return weights.map { weight in
            let width = (bodyRight - bodyLeft) * weight / total
            defer { x += width }
            return (x, width)
        }
    }

    /// Text inside one column of the type area on `page`, without whitespace.
    func columnText(_ probe: PDFProbe, page: Int, column: (x: Double, width: Double)) throws -> String {
        try probe.text(page: page, x: column.x + 1.5, y: bodyTop, width: column.width - 3, height: bodyBottom - bodyTop).compacted
    }

    /// The type area of every page, joined and without whitespace: running text as a reader follows it, without page numbers.
    func bodyText(_ probe: PDFProbe) throws -> String {
        try (1...probe.pageCount()).map { page in
            try probe.text(page: page, x: bodyLeft, y: bodyTop, width: bodyRight - bodyLeft, height: bodyBottom - bodyTop).compacted
        }.joined()
    }

    /// Every word lies inside the type area, except the page number below it.
    func expectWordsInTypeArea(_ probe: PDFProbe, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try ExternalTool.run("pdftotext", ["-bbox", "-enc", "UTF-8", probe.url.path, "-"])
        try #require(result.status == 0)
        let pattern = try NSRegularExpression(pattern: #"<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>"#)
        let text = result.output as NSString
        let matches = pattern.matches(in: result.output, range: NSRange(location: 0, length: text.length))
        #expect(!matches.isEmpty, sourceLocation: sourceLocation)
        for match in matches {
            let number = { (index: Int) in Double(text.substring(with: match.range(at: index)))! }
            let word = text.substring(with: match.range(at: 5))
            let (xMin, yMin, xMax, yMax) = (number(1), number(2), number(3), number(4))
            #expect(xMin >= bodyLeft - 0.5 && xMax <= bodyRight + 0.5, "“\(word)”超出左右边距：\(xMin)–\(xMax)", sourceLocation: sourceLocation)
            #expect(yMin >= bodyTop - 0.5, "“\(word)”超出上边距：\(yMin)", sourceLocation: sourceLocation)
            if yMax > bodyBottom + 0.5 {
                #expect(word == "—" || Int(word) != nil, "版心下方只应有页码，却有“\(word)”", sourceLocation: sourceLocation)
            }
        }
    }
}
