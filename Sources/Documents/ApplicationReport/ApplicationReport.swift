import Foundation
import PolicyKit

/// 山西省技术改造专项资金奖励项目申请报告 (通知附件2): one PDF with the cover, 目录, 情况表, 正文 and every attachment in
/// the notice's order, the uploads included, numbered throughout and with an outline.
///
/// Uploaded files are untrusted. Building the report reads them with libqpdf and keeps no state between calls, so the
/// caller can build it in a child process under a time and memory limit.
public struct ApplicationReport: Sendable {
    public static let title = "山西省技术改造专项资金奖励项目申请报告"

    /// One file uploaded for a checklist item, already checked and normalised by the caller.
    public struct Upload: Sendable, Equatable {
        public enum Content: Sendable, Equatable {
            /// A PDF, merged as it is.
            case pdf(URL)
            /// JPEG or PNG scans, each placed on an A4 page of its own and scaled to fit.
            case images([URL])
        }

        /// The checklist item (`AttachmentSpec.id`) the file belongs to.
        public var item: String
        /// The name the enterprise gave the file, for error messages.
        public var fileName: String
        public var content: Content

        public init(item: String, fileName: String, content: Content) {
            self.item = item
            self.fileName = fileName
            self.content = content
        }
    }

    public let round: Round
    public let application: Application
    public let direction: DirectionSpec
    public let uploads: [Upload]
    /// The city's inspection record; nil binds in the blank form.
    public let siteInspection: SiteInspectionForm?
    /// The month printed on the cover.
    public let date: CalendarDate

    /// Refuses an application whose direction is not in the round, and uploads for items the direction does not have.
    public init(round: Round, application: Application, uploads: [Upload], siteInspection: SiteInspectionForm? = nil, date: CalendarDate) throws {
        guard let direction = round.directionSpec(application.direction, subDirection: application.subDirection) else {
            throw DocumentError.unknownDirection(application.direction)
        }
        let items = Set(round.attachments(for: direction).filter { $0.source == .upload }.map(\.id))
        if let stray = uploads.first(where: { !items.contains($0.item) }) {
            throw DocumentError.unusableUpload(item: stray.item, file: stray.fileName, reason: "本申报方向没有这一附件项目")
        }
        self.round = round
        self.application = application
        self.direction = direction
        self.uploads = uploads
        self.siteInspection = siteInspection
        self.date = date
    }

    /// Writes the report next to `destination` and renames it into place.
    public func write(to destination: URL) throws {
        let data = try pdf()
        try AtomicFile.write(to: destination) { path in
            guard FileManager.default.createFile(atPath: path, contents: data) else {
                throw DocumentError.fileSystem("无法写入 \(path)")
            }
        }
    }

    /// The whole report. Temporary files live in a folder of their own that is removed afterwards.
    public func pdf() throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let layout = try ReportLayout(sections: try makeSections(), report: self)
        let drawn = folder.appendingPathComponent("drawn.pdf")
        let contents = folder.appendingPathComponent("contents.pdf")
        try layout.drawnPages.write(to: drawn)
        try layout.contentsPages.write(to: contents)
        var pages: [QPDF.PageSource] = []
        var stampSizes: [QPDF.PageSize] = []
        var stampedPages: [Int] = []
        for piece in layout.pieces {
            switch piece.source {
            case .drawn(let range):
                pages.append(QPDF.PageSource(file: drawn, range: "\(range.lowerBound)-\(range.upperBound)"))
            case .contents:
                pages.append(QPDF.PageSource(file: contents, range: nil))
            case .upload(let url, let sizes):
                pages.append(QPDF.PageSource(file: url, range: nil))
                stampSizes += sizes
                stampedPages += (0..<sizes.count).map { piece.firstPage + $0 }
            }
        }
        let stamps = folder.appendingPathComponent("page-numbers.pdf")
        let merged = folder.appendingPathComponent("merged.pdf")
        do {
            try QPDF.writeStamps(sizes: stampSizes, numbers: stampedPages, to: stamps)
            try QPDF.merge(pages, stamps: stampSizes.isEmpty ? nil : stamps, stampedPages: stampedPages, into: merged)
            let outline = layout.entries.map { QPDF.OutlineEntry(title: $0.title, page: $0.page) }
            return try QPDF.finish(merged, outline: outline, title: Self.title)
        } catch {
            throw DocumentError.pdfMerging(error.reason)
        }
    }
}

extension ApplicationReport.Upload {
    /// An upload whose type was decided from its first bytes: a PDF is merged, an image becomes a page of its own.
    public init(item: String, fileName: String, kind: UploadedFileKind, url: URL) {
        self.init(item: item, fileName: fileName, content: kind == .pdf ? .pdf(url) : .images([url]))
    }
}
