import Documents
import Foundation
import Testing

@Suite("导出表格：以公式开头的文本不会成为公式")
struct SpreadsheetTextTests {
    @Test("=、+、-、@、制表符、回车开头的文本加撇号；普通文本和负数不变",
          arguments: [
              ("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")"), ("+86 139", "'+86 139"), ("-2+3", "'-2+3"),
              ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("太原示例钢铁有限公司", "太原示例钢铁有限公司"),
              ("-3.20%", "-3.20%"), ("-1,600.00", "-1,600.00"), ("", ""),
          ])
    func neutralised(input: String, expected: String) {
        #expect(SpreadsheetText.neutralised(input) == expected)
    }

    @Test("汇总表 Excel：企业名称为 =HYPERLINK(…) 时单元格是以撇号开头的文本，没有公式；PDF 照原样显示")
    func summarySheetCells() throws {
        var rows = SampleData.rows(2)
        rows[0].enterpriseName = "=HYPERLINK(\"http://x\",\"点我\")"
        rows[1].projectName = "@cmd|' /C calc'!A0"
        let sheet = SummarySheet(reviewAuthority: "太原市工业和信息化局", rows: rows, instructions: SampleData.noticeInstructions)
        let folder = try OutputFolder("summary-formula")
        let file = folder.file("申报汇总表.xlsx")
        try sheet.writeXLSX(to: file)
        let workbook = try XLSXProbe(file)
        #expect(workbook["E4"] == "'=HYPERLINK(\"http://x\",\"点我\")")
        #expect(workbook["H5"] == "'@cmd|' /C calc'!A0")
        #expect(!(try ExternalTool.run("unzip", ["-p", file.path, "xl/worksheets/sheet1.xml"]).output.contains("<f>")))
        let text = try PDFProbe(writing: try sheet.pdf(), to: folder.file("申报汇总表.pdf")).text().compacted
        #expect(text.contains("=HYPERLINK"))
        #expect(!text.contains("'=HYPERLINK"))
    }
}
