import Foundation
import PolicyKit

/// 山西省技术改造资金奖励项目现场核查表 (通知附件2 四（二）): the city's record of its on-site verification,
/// signed and sealed by the reviewing authority and bound into the 申请报告.
public struct SiteInspectionForm: Sendable, Equatable {
    public static let title = "山西省技术改造资金奖励项目现场核查表"
    public static let descriptionLimit = 200
    static let complianceQuestion = "申报资料和建设项目的真实性、完整性、合规性、一致性是否符合政策规定和申报要求"
    static let descriptionLabel = "申报资料和建设项目的真实性、完整性、合规性、一致性符合政策规定和申报要求情况描述（200字内）"
    static let genericAuthority = "市工信局（山西转型综改示范区管委会）"
    static let teamLeaderHint = "（市工信局或山西转型综改示范区管委会分管领导担任）"
    static let note = "注：现场核查工作应保留影像资料备查。"

    public let enterpriseName: String
    public let programme: String
    public let direction: String
    public let projectName: String
    /// The verdict; nil leaves both boxes empty for a form filled in by hand.
    public let compliant: Bool?
    public let description: String
    /// Nil prints the notice's hint on who leads the team.
    public let teamLeader: String?
    public let teamMembers: [String]
    /// The 市工信局 or 山西转型综改示范区管委会 that signs; nil prints the notice's generic wording.
    public let reviewAuthority: String?
    /// Nil leaves 年 月 日 to be written by hand.
    public let signingDate: CalendarDate?

    /// Refuses a description longer than the 200 characters the form allows.
    public init(
        enterpriseName: String,
        programme: String,
        direction: String,
        projectName: String,
        compliant: Bool? = nil,
        description: String = "",
        teamLeader: String? = nil,
        teamMembers: [String] = [],
        reviewAuthority: String? = nil,
        signingDate: CalendarDate? = nil
    ) throws {
        let length = description.trimmingCharacters(in: .whitespacesAndNewlines).count
        guard length <= Self.descriptionLimit else {
            throw DocumentError.textTooLong(field: "现场核查情况描述", limit: Self.descriptionLimit, length: length)
        }
        self.enterpriseName = enterpriseName
        self.programme = programme
        self.direction = direction
        self.projectName = projectName
        self.compliant = compliant
        self.description = description
        self.teamLeader = teamLeader
        self.teamMembers = teamMembers
        self.reviewAuthority = reviewAuthority
        self.signingDate = signingDate
    }

    /// ■ marks the answer given, □ the other; the notice prints 是□ 否□.
    var complianceAnswer: String {
        let yes = compliant == true ? "■" : "□"
        let no = compliant == false ? "■" : "□"
        return "是\(yes)　　　　否\(no)"
    }

    var teamLeaderLine: String { "核查组组长：\(teamLeader ?? Self.teamLeaderHint)" }
    var teamMembersLine: String { "核查组成员：\(teamMembers.joined(separator: "、"))" }
    var dateLine: String { signingDate?.chinese ?? "年　　月　　日" }

    /// One portrait A4 page laid out like the notice's form.
    public func pdf() throws -> Data {
        let composer = PDFComposer(title: Self.title, orientation: .portrait)
        compose(into: composer)
        return try composer.finish()
    }

    /// The form on the composer's current page; the 申请报告 binds it in as one of its attachments.
    func compose(into composer: PDFComposer) {
        composer.paragraph(Self.title, style: TextStyle(family: .sans, size: FontSize.size2 - 2, bold: true, alignment: .center))
        composer.space(10)

        let label = TextStyle(family: .serif, size: FontSize.smallSize4, alignment: .center)
        let value = TextStyle(family: .serif, size: FontSize.smallSize4)
        func row(_ title: String, _ text: String) -> Table.Row {
            Table.Row(cells: [Table.Cell(title, style: label), Table.Cell(text, style: value)], minimumHeight: 30)
        }
        composer.table(Table(
            columns: [Table.Column(weight: 3), Table.Column(weight: 7)],
            rows: [
                row("项目申报企业（单位）", enterpriseName),
                row("申报专项", programme),
                row("申报方向", direction),
                row("项目名称", projectName),
                Table.Row(cells: [
                    Table.Cell(Self.complianceQuestion, style: label),
                    Table.Cell(complianceAnswer, style: value.aligned(.center)),
                ]),
                Table.Row(
                    cells: [
                        Table.Cell(Self.descriptionLabel, style: label),
                        Table.Cell(description, style: value, verticalAlignment: .top),
                    ],
                    minimumHeight: 150
                ),
                Table.Row(
                    cells: [
                        Table.Cell("现场核查人员", style: label),
                        Table.Cell(paragraphs: [
                            TextFlow.Paragraph(text: teamLeaderLine, style: value),
                            TextFlow.Paragraph(text: teamMembersLine, style: value, spaceBefore: 12),
                        ]),
                    ],
                    minimumHeight: 72
                ),
                Table.Row(
                    cells: [
                        Table.Cell(reviewAuthority ?? Self.genericAuthority, style: label),
                        Table.Cell(paragraphs: [
                            TextFlow.Paragraph(text: "负责人签字：　　　　　　　　　　盖章", style: value),
                            TextFlow.Paragraph(text: dateLine, style: value.aligned(.right), spaceBefore: 20),
                        ]),
                    ],
                    minimumHeight: 84
                ),
            ]
        ))
        composer.paragraph(Self.note, style: TextStyle(family: .serif, size: FontSize.smallSize4), spaceBefore: 8)
    }
}
