import Foundation
import Testing
@testable import Documents

@Suite("申报汇总表（附件3）")
struct SummarySheetTests {
    let authority = "太原市工业和信息化局"

    @Test("PDF：横向 A4，字体嵌入，标题、审核单位、表头、每行数据和填表说明都在")
    func pdfReadsBack() throws {
        let rows = SampleData.rows(3)
        let sheet = SummarySheet(reviewAuthority: authority, rows: rows, instructions: SampleData.noticeInstructions)
        let folder = try OutputFolder("summary-pdf")
        let probe = try PDFProbe(writing: try sheet.pdf(), to: folder.file("申报汇总表.pdf"))

        try probe.expectSoundA4(landscape: true, title: "山西省技术改造专项资金奖励项目申报汇总表")
        // The table fits on the first page; the long 填表说明 may continue on a second.
        #expect((1...2).contains(try probe.pageCount()))
        let page = PageLayout(landscape: true)
        try page.expectWordsInTypeArea(probe)

        let firstPage = try probe.text(page: 1).compacted
        #expect(firstPage.contains("山西省技术改造专项资金奖励项目申报汇总表审核单位（公章）：太原市工业和信息化局"))
        #expect(firstPage.contains("—1—"))
        // Mobile numbers and city names are never broken inside their cells.
        let firstPageLines = try probe.text(page: 1)
        for row in rows {
            #expect(firstPageLines.contains(row.contactMobile), "手机号被拆行：\(row.contactMobile)")
            #expect(firstPageLines.contains(row.city))
        }
        let text = try page.bodyText(probe)
        for instruction in SampleData.instructions {
            #expect(text.contains(instruction.compacted), "缺少填表说明：\(instruction)")
        }
        #expect(text.contains(SampleData.noticeInstructions.joined().compacted))

        #expect(sheet.headers == SampleData.headers)
        let columns = page.columns(sheet.pdfColumnWidths)
        for (index, column) in columns.enumerated() {
            let expected = SampleData.headers[index] + rows.enumerated().map { SampleData.expectedCells($1, number: $0 + 1)[index] }.joined()
            let columnText = try page.columnText(probe, page: 1, column: column)
            #expect(columnText.contains(expected.compacted), "第 \(index + 1) 列应为“\(expected)”，读到“\(columnText)”")
        }
    }

    @Test("PDF：60 行跨多页，每页都有表头和页码，数据按顺序完整")
    func manyRowsSpanPages() throws {
        let rows = SampleData.rows(60)
        let sheet = SummarySheet(reviewAuthority: authority, rows: rows, instructions: SampleData.noticeInstructions)
        let folder = try OutputFolder("summary-60")
        let probe = try PDFProbe(writing: try sheet.pdf(), to: folder.file("申报汇总表-60行.pdf"))

        try probe.expectSoundA4(landscape: true, title: SummarySheet.title)
        let pages = try probe.pageCount()
        let page = PageLayout(landscape: true)
        try page.expectWordsInTypeArea(probe)
        let columns = page.columns(sheet.pdfColumnWidths)

        // The table runs up to the page where 填表说明 begins; pages after that hold only the instructions.
        let lastTablePage = try #require((1...pages).first { try probe.text(page: $0).compacted.contains("填表说明：") })
        #expect(lastTablePage >= 3)
        var columnTexts = Array(repeating: "", count: columns.count)
        for number in 1...pages {
            #expect(try probe.text(page: number).compacted.contains("—\(number)—"), "第 \(number) 页没有页码")
            for (index, column) in columns.enumerated() {
                let text = try page.columnText(probe, page: number, column: column)
                let header = SampleData.headers[index].compacted
                if number <= lastTablePage {
                    #expect(text.hasPrefix(header) || number == 1, "第 \(number) 页第 \(index + 1) 列没有以表头“\(header)”开始：\(text)")
                    #expect(text.contains(header), "第 \(number) 页第 \(index + 1) 列没有表头“\(header)”")
                }
                columnTexts[index] += text.replacingOccurrences(of: header, with: "")
            }
        }
        for index in columns.indices {
            let expected = rows.enumerated().map { SampleData.expectedCells($1, number: $0 + 1)[index] }.joined().compacted
            #expect(columnTexts[index].contains(expected), "第 \(index + 1) 列跨页后数据不完整")
        }
        #expect(try probe.text(page: pages).compacted.contains("6.所属行业"))
    }

    @Test("Excel：单元格与输入一致，标题合并，横向 A4 打印，表头每页重复")
    func xlsxCells() throws {
        let rows = SampleData.rows(5)
        let sheet = SummarySheet(reviewAuthority: authority, rows: rows, instructions: SampleData.noticeInstructions)
        let folder = try OutputFolder("summary-xlsx")
        let file = folder.file("申报汇总表.xlsx")
        try sheet.writeXLSX(to: file)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasSuffix(".tmp") }.isEmpty)

        let workbook = try XLSXProbe(file)
        #expect(workbook["A1"] == "山西省技术改造专项资金奖励项目申报汇总表")
        #expect(workbook["A2"] == "审核单位（公章）：太原市工业和信息化局")
        for (index, header) in SampleData.headers.enumerated() {
            #expect(workbook["\(XLSXProbe.column(index))3"] == header)
        }
        #expect(workbook["M3"] == nil)
        // Row 4 holds the first application: B4 is its city.
        #expect(workbook["B4"] == rows[0].city)
        #expect(workbook["E4"] == rows[0].enterpriseName)
        #expect(workbook["L4"] == "\(rows[0].contactName) \(rows[0].contactMobile)")
        for (offset, row) in rows.enumerated() {
            let cells = SampleData.expectedCells(row, number: offset + 1)
            for (index, expected) in cells.enumerated() {
                let reference = "\(XLSXProbe.column(index))\(offset + 4)"
                let actual = workbook[reference] ?? ""
                if index == 0 {
                    #expect(Double(actual) == Double(offset + 1), "\(reference) 序号")
                } else {
                    #expect(actual == expected, "\(reference) 应为“\(expected)”，实为“\(actual)”")
                }
            }
        }
        #expect(workbook["A\(rows.count + 4)"] == nil)
        let instructionCells = (rows.count + 5...rows.count + 25).compactMap { workbook["A\($0)"] }
        #expect(instructionCells == ["填表说明："] + SampleData.noticeInstructions)

        #expect(workbook.mergedRanges.contains("A1:L1"))
        #expect(workbook.mergedRanges.contains("A2:L2"))
        #expect(workbook.mergedRanges.contains("A\(rows.count + 5):L\(rows.count + 5)"))
        #expect(workbook.pageSetup["orientation"] == "landscape")
        #expect(workbook.pageSetup["paperSize"] == "9")
        #expect(workbook.pageSetup["fitToWidth"] == nil || workbook.pageSetup["fitToWidth"] == "1")
        #expect(workbook.pageSetup["fitToHeight"] == "0")
        #expect(workbook.definedNames["_xlnm.Print_Titles"] == "'申报汇总表'!$3:$3")
        // Merged cells never grow by themselves: the long instruction on 集聚集约增效专项 is given two lines or more.
        #expect(workbook["A\(rows.count + 8)"]?.hasPrefix("集聚集约增效专项") == true)
        #expect((workbook.rowHeights[rows.count + 8] ?? 0) >= 28)
    }

    @Test("全省导出：增加状态和负责处室两列（Excel 和 PDF）")
    func provinceWide() throws {
        let rows = SampleData.rows(4)
        let sheet = SummarySheet(reviewAuthority: "山西省工业和信息化厅", rows: rows, columns: .provinceWide, instructions: SampleData.noticeInstructions)
        let headers = SampleData.headers + ["状态", "负责处室"]
        #expect(sheet.headers == headers)
        let folder = try OutputFolder("summary-province")

        let file = folder.file("全省申报汇总表.xlsx")
        try sheet.writeXLSX(to: file)
        let workbook = try XLSXProbe(file)
        #expect(workbook["M3"] == "状态")
        #expect(workbook["N3"] == "负责处室")
        #expect(workbook.mergedRanges.contains("A1:N1"))
        for (offset, row) in rows.enumerated() {
            #expect(workbook["M\(offset + 4)"] == row.status)
            #expect(workbook["N\(offset + 4)"] == row.division)
            #expect(workbook["B\(offset + 4)"] == row.city)
        }

        let probe = try PDFProbe(writing: try sheet.pdf(), to: folder.file("全省申报汇总表.pdf"))
        try probe.expectSoundA4(landscape: true, title: SummarySheet.title)
        let page = PageLayout(landscape: true)
        let columns = page.columns(sheet.pdfColumnWidths)
        #expect(columns.count == 14)
        let lines = try probe.text(page: 1)
        for row in rows {
            #expect(lines.contains(row.contactMobile), "手机号被拆行：\(row.contactMobile)")
            #expect(lines.contains(row.division), "处室被拆行：\(row.division)")
        }
        for index in [12, 13] {
            let expected = headers[index] + rows.enumerated().map { SampleData.expectedCells($1, number: $0 + 1, provinceWide: true)[index] }.joined()
            #expect(try page.columnText(probe, page: 1, column: columns[index]).contains(expected))
        }
    }

    @Test("Excel：覆盖已有文件；也能直接取得字节")
    func xlsxReplacesAndReturnsData() throws {
        let folder = try OutputFolder("summary-replace")
        let file = folder.file("汇总.xlsx")
        try SummarySheet(reviewAuthority: authority, rows: SampleData.rows(2), instructions: SampleData.noticeInstructions).writeXLSX(to: file)
        try SummarySheet(reviewAuthority: "大同市工业和信息化局", rows: SampleData.rows(1), instructions: SampleData.noticeInstructions).writeXLSX(to: file)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["汇总.xlsx"])
        let workbook = try XLSXProbe(file)
        #expect(workbook["A2"] == "审核单位（公章）：大同市工业和信息化局")
        #expect(workbook["B5"] == nil)

        let data = try SummarySheet(reviewAuthority: authority, rows: SampleData.rows(1), instructions: SampleData.noticeInstructions).xlsx()
        #expect(data.starts(with: Array("PK".utf8)))
    }

    @Test("Excel：目标文件夹不存在时报中文错误，不留下临时文件")
    func xlsxFailureIsReported() throws {
        let folder = try OutputFolder("summary-missing")
        let file = folder.url.appendingPathComponent("不存在的文件夹").appendingPathComponent("汇总.xlsx")
        let error = try #require(throws: DocumentError.self) {
            try SummarySheet(reviewAuthority: authority, rows: SampleData.rows(1), instructions: SampleData.noticeInstructions).writeXLSX(to: file)
        }
        #expect(error.description.hasPrefix("Excel 文件生成失败："))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }
}
