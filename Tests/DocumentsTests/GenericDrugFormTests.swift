import Foundation
import Testing
@testable import Documents

@Suite("仿制药一致性评价奖励资金申报表")
struct GenericDrugFormTests {
    static let columnWeights = [1.05, 1.6, 1.05, 1.3, 1.3, 0.9]
    static let headers = ["企业名称", "申请奖励品种名称", "规格及剂型", "开展生物等效性试验情况", "评价进展情况", "备注"]

    let varieties = [
        GenericDrugForm.Variety(enterpriseName: "山西示范制药有限公司", drugName: "盐酸二甲双胍片", specificationAndDosageForm: "片剂，0.5g/片", bioequivalenceStudy: "开展", evaluationProgress: "已通过一致性评价"),
        GenericDrugForm.Variety(enterpriseName: "山西示范制药有限公司", drugName: "阿莫西林胶囊", specificationAndDosageForm: "胶囊，0.25mg/粒", bioequivalenceStudy: "简化", evaluationProgress: "资料受理", remarks: "首家申报"),
        GenericDrugForm.Variety(enterpriseName: "山西示范制药有限公司", drugName: "注射用头孢曲松钠", specificationAndDosageForm: "注射剂，1.0g/支", bioequivalenceStudy: "不开展", evaluationProgress: "资料受理"),
    ]

    func cells(_ variety: GenericDrugForm.Variety) -> [String] {
        [variety.enterpriseName, variety.drugName, variety.specificationAndDosageForm, variety.bioequivalenceStudy, variety.evaluationProgress, variety.remarks]
    }

    @Test("PDF：纵向 A4，公章行、表头、每个品种和备注 1–3 都在")
    func pdfReadsBack() throws {
        let form = try GenericDrugForm(applicant: "山西示范制药有限公司", varieties: varieties)
        let folder = try OutputFolder("generic-drug")
        let probe = try PDFProbe(writing: try form.pdf(), to: folder.file("仿制药申报表.pdf"))
        try probe.expectSoundA4(landscape: false, title: "山西省仿制药一致性评价奖励资金申报表")
        #expect(try probe.pageCount() == 1)
        let page = PageLayout(landscape: false)
        try page.expectWordsInTypeArea(probe)

        let text = try probe.text().compacted
        #expect(text.contains("山西省仿制药一致性评价奖励资金申报表"))
        #expect(text.contains("项目申报企业（单位）（公章）：山西示范制药有限公司"))
        #expect(text.contains("备注：1.规格及剂型。例如：胶囊，0.25mg/粒。"))
        #expect(text.contains("2.开展生物等效性试验情况。填写开展、简化、不开展。"))
        #expect(text.contains("3.评价进展情况。填写资料受理、已通过一致性评价。"))

        for (index, column) in page.columns(Self.columnWeights).enumerated() {
            let expected = Self.headers[index] + varieties.map { cells($0)[index] }.joined()
            let columnText = try page.columnText(probe, page: 1, column: column)
            #expect(columnText.contains(expected.compacted), "第 \(index + 1) 列应为“\(expected)”，读到“\(columnText)”")
        }
    }

    @Test("超过一页的行拆到下一页，表头重复，内容不丢")
    func tallRowSplitsAcrossPages() throws {
        let remarks = (1...150).map { "第\($0)条。" }.joined()
        var tall = varieties[0]
        tall.remarks = remarks
        let form = try GenericDrugForm(applicant: "山西示范制药有限公司", varieties: [varieties[1], tall, varieties[2]])
        let folder = try OutputFolder("generic-drug-split")
        let probe = try PDFProbe(writing: try form.pdf(), to: folder.file("仿制药申报表-长备注.pdf"))
        try probe.expectSoundA4(landscape: false, title: GenericDrugForm.title)
        let pages = try probe.pageCount()
        #expect(pages >= 3)
        let page = PageLayout(landscape: false)
        try page.expectWordsInTypeArea(probe)

        let columns = page.columns(Self.columnWeights)
        var remarkColumn = ""
        for number in 1...pages {
            #expect(try probe.text(page: number).compacted.contains("—\(number)—"))
            #expect(try page.columnText(probe, page: number, column: columns[0]).contains("企业名称"), "第 \(number) 页没有表头")
            remarkColumn += try page.columnText(probe, page: number, column: columns[5]).replacingOccurrences(of: "备注", with: "")
        }
        #expect(remarkColumn.contains("首家申报" + remarks))
        #expect(try page.columnText(probe, page: pages, column: columns[1]).contains("注射用头孢曲松钠"))
    }

    @Test("只接受备注所列的填法", arguments: [
        (GenericDrugForm.Variety(enterpriseName: "甲", drugName: "乙", specificationAndDosageForm: "片剂", bioequivalenceStudy: "部分开展", evaluationProgress: "资料受理"),
         "开展生物等效性试验情况只能填写开展、简化、不开展，不能填写“部分开展”"),
        (GenericDrugForm.Variety(enterpriseName: "甲", drugName: "乙", specificationAndDosageForm: "片剂", bioequivalenceStudy: "开展", evaluationProgress: "审评中"),
         "评价进展情况只能填写资料受理、已通过一致性评价，不能填写“审评中”"),
    ])
    func rejectsUnlistedWording(variety: GenericDrugForm.Variety, message: String) throws {
        let error = try #require(throws: DocumentError.self) {
            try GenericDrugForm(applicant: "甲", varieties: [variety])
        }
        #expect(error.description == message)
    }
}
