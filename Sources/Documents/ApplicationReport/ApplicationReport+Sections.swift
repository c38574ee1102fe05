import Foundation
import PolicyKit

extension ApplicationReport {
    static let situationTableTitle = "山西省技术改造专项资金奖励项目情况表"
    static let mainTextTitle = "正文"
    static let commitmentLetterID = "commitment-letter"
    static let siteInspectionID = "site-inspection"
    static let performanceTargetsID = "performance-targets"

    /// The notice's order (附件2 五（二）): 封面及目录, 情况表, 正文, then 附件2 四（一）–（六）.
    func makeSections() throws -> [ReportSection] {
        var sections = [
            ReportSection(title: "封面", listedInContents: false, pieces: [.composed(.portrait, numbered: false, drawCover)]),
            ReportSection(title: "目录", listedInContents: false, pieces: [.tableOfContents]),
            ReportSection(title: "一、\(Self.situationTableTitle)", listedInContents: true, pieces: [.composed(.landscape, numbered: true, drawSituationTable)]),
            ReportSection(title: "二、\(Self.mainTextTitle)", listedInContents: true, pieces: [.composed(.portrait, numbered: true, drawMainText)]),
        ]
        var number = 0
        for spec in round.attachments(for: direction) {
            let pieces: [ReportSection.Piece]
            switch (spec.source, spec.id) {
            case (.generated, Self.commitmentLetterID):
                pieces = [.composed(.portrait, numbered: true, drawCommitmentLetter)]
            case (.generated, Self.siteInspectionID):
                let form = try siteInspection ?? SiteInspectionForm(
                    enterpriseName: enterpriseName, programme: direction.programme.name,
                    direction: direction.fullName, projectName: projectName
                )
                pieces = [.composed(.portrait, numbered: true, form.compose)]
            case (.generated, Self.performanceTargetsID):
                pieces = [.composed(.portrait, numbered: true, drawPerformanceTargets)]
            case (.generated, _):
                throw DocumentError.pdfRendering("不能生成附件“\(spec.title)”")
            case (.upload, _):
                pieces = try uploads.filter { $0.item == spec.id }.map { try piece(for: $0, title: spec.title) }
            }
            guard !pieces.isEmpty else { continue }
            number += 1
            sections.append(ReportSection(title: "附件\(number)　\(spec.title)", listedInContents: true, pieces: pieces))
        }
        return sections
    }

    private func piece(for upload: Upload, title: String) throws -> ReportSection.Piece {
        switch upload.content {
        case .pdf(let url):
            do {
                return .uploadedPDF(url, try QPDF.pageSizes(of: url))
            } catch {
                // qpdf explains in English; the enterprise needs to know what to do about it.
                let reason = error.reason.localizedCaseInsensitiveContains("password") ? "文件设有打开密码，请上传未加密的 PDF" : "文件已损坏或不是 PDF"
                throw DocumentError.unusableUpload(item: title, file: upload.fileName, reason: reason)
            }
        case .images(let urls):
            do {
                return .scans(try urls.map { url throws(ScanImage.Problem) in try ScanImage(contentsOf: url) })
            } catch {
                throw DocumentError.unusableUpload(item: title, file: upload.fileName, reason: error.reason)
            }
        }
    }

    var enterpriseName: String { application.enterprise.name ?? "" }
    var projectName: String { application.projectName ?? "" }
}
