import Foundation
import PolicyKit

extension ApplicationReport {
    static let situationTableTitle = "山西省技术改造专项资金奖励项目情况表"
    static let mainTextTitle = "正文"
    static let commitmentLetterID = "commitment-letter"
    static let siteInspectionID = "site-inspection"
    static let performanceTargetsID = "performance-targets"

    /// The notice's order (附件2 五（二）): 封面及目录, 情况表, 正文, then 附件2 四（一）–（六）.
    ///
    /// Attachments are numbered by the item of 附件2 四 they answer, not 1, 2, 3…: “附件3” and “附件4” are the names of
    /// the notice's own 汇总表 and 处室 list. An item of one document is “附件（一）”; an item listing several (（三）
    /// the licence and three years' accounts, （六） the direction's own) numbers them “附件（三）-1”, “附件（三）-2”.
    func makeSections() throws -> [ReportSection] {
        var sections = [
            ReportSection(title: "封面", listedInContents: false, pieces: [.composed(.portrait, numbered: false, drawCover)]),
            ReportSection(title: "目录", listedInContents: false, pieces: [.tableOfContents]),
            ReportSection(title: "一、\(Self.situationTableTitle)", listedInContents: true, pieces: [.composed(.landscape, numbered: true, drawSituationTable)]),
            ReportSection(title: "二、\(Self.mainTextTitle)", listedInContents: true, pieces: [.composed(.portrait, numbered: true, drawMainText)]),
        ]
        let specs = round.attachments(for: direction)
        let groups = specs.map(Self.noticeItem)
        var sequence = 0
        var numberInGroup: [String: Int] = [:]
        for (spec, group) in zip(specs, groups) {
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
            sequence += 1
            let label: String
            if let group {
                let index = numberInGroup[group, default: 0] + 1
                numberInGroup[group] = index
                label = groups.filter { $0 == group }.count > 1 ? "附件（\(group)）-\(index)" : "附件（\(group)）"
            } else {
                label = "附件\(sequence)"
            }
            sections.append(ReportSection(title: "\(label) \(spec.title)", listedInContents: true, pieces: pieces))
        }
        return sections
    }

    /// The item of 附件2 四 an attachment's clause names (“附件2 四（六）2（2）” → “六”); nil for a clause elsewhere,
    /// which a round of another notice may have, and which is then numbered in sequence.
    static func noticeItem(_ spec: AttachmentSpec) -> String? {
        guard let start = spec.clause.range(of: "附件2 四（")?.upperBound,
              let end = spec.clause[start...].firstIndex(of: "）") else { return nil }
        return String(spec.clause[start..<end])
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
