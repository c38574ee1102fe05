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

/// Where every section starts, with the generated pages rendered in the document's page numbering.
/// Pages are counted from the cover (page 1, unnumbered), so a page's number is its position in the PDF.
struct ReportLayout {
    struct Entry {
        var title: String
        var page: Int
        var listedInContents: Bool
    }

    struct Piece {
        enum Output {
            case rendered(Data)
            case upload(URL, [QPDF.PageSize])
        }

        var firstPage: Int
        var output: Output
    }

    private(set) var entries: [Entry] = []
    private(set) var pieces: [Piece] = []

    /// The 目录's length moves every later page, and its numbers depend on those pages: lay out with an assumed length,
    /// draw the 目录, and repeat while its length differs from the assumption.
    init(sections: [ReportSection], report: ApplicationReport) throws {
        var contentsLength = 1
        for _ in 0..<4 {
            entries = []
            pieces = []
            var contentsIndex: Int?
            var page = 1
            for section in sections {
                entries.append(Entry(title: section.title, page: page, listedInContents: section.listedInContents))
                for piece in section.pieces {
                    switch piece {
                    case let .composed(orientation, numbered, draw):
                        let composer = PDFComposer(title: ApplicationReport.title, orientation: orientation, firstPageNumber: page, numbersPages: numbered)
                        draw(composer)
                        pieces.append(Piece(firstPage: page, output: .rendered(try composer.finish())))
                        page += composer.pageCount
                    case .tableOfContents:
                        contentsIndex = pieces.count
                        pieces.append(Piece(firstPage: page, output: .rendered(Data())))
                        page += contentsLength
                    case let .uploadedPDF(url, sizes):
                        pieces.append(Piece(firstPage: page, output: .upload(url, sizes)))
                        page += sizes.count
                    case let .scans(images):
                        let composer = PDFComposer(title: ApplicationReport.title, orientation: .portrait, firstPageNumber: page)
                        images.forEach(composer.imagePage)
                        pieces.append(Piece(firstPage: page, output: .rendered(try composer.finish())))
                        page += composer.pageCount
                    }
                }
            }
            guard let contentsIndex else { return }
            let composer = PDFComposer(title: ApplicationReport.title, orientation: .portrait, firstPageNumber: pieces[contentsIndex].firstPage)
            report.drawContents(entries.filter(\.listedInContents), on: composer)
            let data = try composer.finish()
            if composer.pageCount == contentsLength {
                pieces[contentsIndex].output = .rendered(data)
                return
            }
            contentsLength = composer.pageCount
        }
        throw DocumentError.pdfRendering("目录页数无法确定")
    }
}
