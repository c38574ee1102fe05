import Foundation
import Testing
import PolicyKit
@testable import Documents

@Suite("现场核查表（附件2）")
struct SiteInspectionFormTests {
    static let columnWeights = [3.0, 7.0]
    let description = "经现场核查，企业营业执照、2022年度财务审计报告与申报资料一致；营收增量专项审计报告数据与企业账簿相符，主要销售合同和发票抽查无异常，项目在山西省境内实施，未获得其他省级财政资金支持。"

    func form(compliant: Bool? = true, description: String? = nil) throws -> SiteInspectionForm {
        try SiteInspectionForm(
            enterpriseName: "山西示范钢铁集团有限公司",
            programme: "企业增量提质专项",
            direction: "营收增量奖励",
            projectName: "营收增量奖励（钢铁）",
            compliant: compliant,
            description: description ?? self.description,
            teamLeader: "王建国",
            teamMembers: ["李明", "赵晓燕", "刘强"],
            reviewAuthority: "太原市工业和信息化局",
            signingDate: CalendarDate(year: 2023, month: 10, day: 20)
        )
    }

    @Test("PDF：纵向 A4 一页，标题、各栏、勾选、描述、核查人员、签章日期和注都在")
    func pdfReadsBack() throws {
        let folder = try OutputFolder("site-inspection")
        let probe = try PDFProbe(writing: try form().pdf(), to: folder.file("现场核查表.pdf"))
        try probe.expectSoundA4(landscape: false, title: "山西省技术改造资金奖励项目现场核查表")
        #expect(try probe.pageCount() == 1)
        let page = PageLayout(landscape: false)
        try page.expectWordsInTypeArea(probe)

        let text = try probe.text().compacted
        #expect(text.contains("山西省技术改造资金奖励项目现场核查表"))
        #expect(text.contains("注：现场核查工作应保留影像资料备查。"))
        #expect(text.contains("—1—"))

        let columns = page.columns(Self.columnWeights)
        let labels = try page.columnText(probe, page: 1, column: columns[0])
        #expect(labels.contains(
            "项目申报企业（单位）申报专项申报方向项目名称"
                + "申报资料和建设项目的真实性、完整性、合规性、一致性是否符合政策规定和申报要求"
                + "申报资料和建设项目的真实性、完整性、合规性、一致性符合政策规定和申报要求情况描述（200字内）"
                + "现场核查人员太原市工业和信息化局"
        ), "左栏：\(labels)")
        let values = try page.columnText(probe, page: 1, column: columns[1])
        #expect(values.contains(
            "山西示范钢铁集团有限公司企业增量提质专项营收增量奖励营收增量奖励（钢铁）"
                + "是■否□" + description
                + "核查组组长：王建国核查组成员：李明、赵晓燕、刘强"
                + "负责人签字：盖章2023年10月20日"
        ), "右栏：\(values)")
    }

    @Test("是否符合：是■ / 否■ / 未填时两个空框", arguments: [
        (Bool?.some(true), "是■否□"),
        (Bool?.some(false), "是□否■"),
        (Bool?.none, "是□否□"),
    ])
    func complianceMark(compliant: Bool?, expected: String) throws {
        let folder = try OutputFolder("site-inspection-mark-\(String(describing: compliant))")
        let probe = try PDFProbe(writing: try form(compliant: compliant).pdf(), to: folder.file("核查表.pdf"))
        let text = try probe.text().compacted
        #expect(text.contains(expected))
        #expect(text.components(separatedBy: "■").count - 1 == (compliant == nil ? 0 : 1))
    }

    @Test("情况描述：200 字可以，201 字被拒绝并给出中文说明")
    func descriptionLimit() throws {
        let twoHundred = String(repeating: "核", count: 200)
        #expect(try form(description: twoHundred).description == twoHundred)

        let error = try #require(throws: DocumentError.self) {
            try form(description: twoHundred + "查")
        }
        #expect(error == .textTooLong(field: "现场核查情况描述", limit: 200, length: 201))
        #expect(error.description == "现场核查情况描述不能超过 200 字，现为 201 字")
        #expect(error.localizedDescription == "现场核查情况描述不能超过 200 字，现为 201 字")
    }

    @Test("空白表：未填核查组长时印出附件2的说明，日期留空待手写")
    func blankForm() throws {
        let form = try SiteInspectionForm(
            enterpriseName: "山西示范钢铁集团有限公司",
            programme: "企业增量提质专项",
            direction: "营收增量奖励",
            projectName: "营收增量奖励（钢铁）"
        )
        let folder = try OutputFolder("site-inspection-blank")
        let probe = try PDFProbe(writing: try form.pdf(), to: folder.file("空白核查表.pdf"))
        try probe.expectSoundA4(landscape: false, title: SiteInspectionForm.title)
        let page = PageLayout(landscape: false)
        let columns = page.columns(Self.columnWeights)
        #expect(try page.columnText(probe, page: 1, column: columns[0]).contains("市工信局（山西转型综改示范区管委会）"))
        let values = try page.columnText(probe, page: 1, column: columns[1])
        #expect(values.contains("是□否□"))
        #expect(values.contains("核查组组长：（市工信局或山西转型综改示范区管委会分管领导担任）核查组成员："))
        #expect(values.contains("负责人签字：盖章年月日"))
    }
}
