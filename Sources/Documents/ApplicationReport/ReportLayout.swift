import Foundation

/// A part of the report as the 目录 and the outline name it, and what it is made of.
struct ReportSection {
    enum Piece {
        /// Pages the report draws itself; `numbered` is false only for the cover.
        case composed(PageOrientation, numbered: Bool, (PDFComposer) -> Void)
        /// The 目录, drawn last because it lists the pages of everything else.
        case tableOfContents
        case uploadedPDF(URL, [QPDF.PageSize])
        case scans([ScanImage])
    }

    var title: String
    /// The cover and the 目录 itself are bookmarked but not listed in the 目录.
    var listedInContents: Bool
    var pieces: [Piece]
}

/// Where every section starts, with the report's own pages rendered in the document's page numbering.
/// Pages are counted from the cover (page 1, unnumbered), so a page's number is its position in the PDF.
///
/// All drawn pages but the 目录 go into one PDF, so that each font is embedded once; the merge takes them from it by
/// page range, with the 目录 and the uploads in between.
struct ReportLayout {
    struct Entry {
        var title: String
        var page: Int
        var listedInContents: Bool
    }

    struct Piece {
        enum Source {
            /// Pages of `drawnPages`, 1-based.
            case drawn(ClosedRange<Int>)
            case contents
            case upload(URL, [QPDF.PageSize])
        }

        var firstPage: Int
        var source: Source
    }

    private(set) var entries: [Entry] = []
    private(set) var pieces: [Piece] = []
    private(set) var drawnPages = Data()
    private(set) var contentsPages = Data()

    /// The 目录's length moves every later page, and its numbers depend on those pages: lay out with an assumed length,
    /// draw the 目录, and repeat while its length differs from the assumption.
    init(sections: [ReportSection], report: ApplicationReport) throws {
        var contentsLength = 1
        for _ in 0..<4 {
            entries = []
            pieces = []
            let composer = PDFComposer(title: ApplicationReport.title, orientation: .portrait)
            var page = 1
            for section in sections {
                entries.append(Entry(title: section.title, page: page, listedInContents: section.listedInContents))
                for piece in section.pieces {
                    let before = composer.pageCount
                    switch piece {
                    case let .composed(orientation, numbered, draw):
                        composer.startPage(orientation)
                        composer.numbersPages = numbered
                        draw(composer)
                        pieces.append(Piece(firstPage: page, source: .drawn(before + 1...composer.pageCount)))
                        page += composer.pageCount - before
                    case .tableOfContents:
                        composer.skipPageNumbers(contentsLength)
                        pieces.append(Piece(firstPage: page, source: .contents))
                        page += contentsLength
                    case let .uploadedPDF(url, sizes):
                        composer.skipPageNumbers(sizes.count)
                        pieces.append(Piece(firstPage: page, source: .upload(url, sizes)))
                        page += sizes.count
                    case let .scans(images):
                        composer.numbersPages = true
                        images.forEach(composer.imagePage)
                        pieces.append(Piece(firstPage: page, source: .drawn(before + 1...composer.pageCount)))
                        page += composer.pageCount - before
                    }
                }
            }
            drawnPages = try composer.finish()
            guard let contents = pieces.first(where: { if case .contents = $0.source { true } else { false } }) else { return }
            let contentsComposer = PDFComposer(title: ApplicationReport.title, orientation: .portrait)
            contentsComposer.skipPageNumbers(contents.firstPage - 1)
            report.drawContents(entries.filter(\.listedInContents), on: contentsComposer)
            contentsPages = try contentsComposer.finish()
            if contentsComposer.pageCount == contentsLength { return }
            contentsLength = contentsComposer.pageCount
        }
        throw DocumentError.pdfRendering("目录页数无法确定")
    }
}
