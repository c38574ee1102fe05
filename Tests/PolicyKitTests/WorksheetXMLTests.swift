import Foundation
import PolicyKit
import Testing

@Suite("失信名单：xlsx 工作表读取与共用的行规则")
struct WorksheetXMLTests {
    static let sharedStrings = Data("""
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">
    <si><t>统一社会信用代码</t></si><si><t>企业名称</t></si><si><r><t>名单</t></r><r><t>来源</t></r></si>
    <si><t>914403001922038216</t></si><si><t>华为&amp;技术<rPh><t>ホア</t></rPh></t></si><si><t>91330100716105852X</t></si>
    </sst>
    """.utf8)

    static let sheet = Data("""
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
    <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
    <row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c></row>
    <row r="4"><c r="A4" t="s"><v>5</v></c><c r="C4" t="inlineStr"><is><t>信用中国（山西）失信黑名单</t></is></c></row>
    <row r="5"><c r="B5" t="str"><v>缺代码</v></c></row>
    <row r="6"><c r="A6"><v>914403001922038</v></c></row>
    </sheetData></worksheet>
    """.utf8)

    @Test("共享字符串、富文本、内联字符串、跳过的行和列都按位置读出")
    func readsCells() throws {
        let strings = try WorksheetXML.sharedStrings(Self.sharedStrings)
        #expect(strings == ["统一社会信用代码", "企业名称", "名单来源", "914403001922038216", "华为&技术", "91330100716105852X"])
        let rows = try WorksheetXML.rows(Self.sheet, sharedStrings: strings)
        #expect(rows.map(\.line) == [1, 2, 4, 5, 6])
        #expect(rows[2].cells == ["91330100716105852X", "", "信用中国（山西）失信黑名单"])
        #expect(rows[3].cells == ["", "缺代码"])
    }

    @Test("xlsx 与 CSV 用同一套行规则：每个错误行带行号报告")
    func sameRowRules() throws {
        let rows = try WorksheetXML.rows(Self.sheet, sharedStrings: try WorksheetXML.sharedStrings(Self.sharedStrings))
        let (list, problems) = CreditBlacklist.parseRows(rows)
        #expect(list.count == 1)
        #expect(list.entry(for: "914403001922038216")?.name == "华为&技术")
        #expect(problems.map(\.line) == [4, 5, 6])
        #expect(problems[0].message.hasPrefix("统一社会信用代码校验位错误"))
        #expect(problems[1].message == "缺少统一社会信用代码")
    }

    @Test("不是 XML、引用不存在的共享字符串：报错而不是返回空表")
    func malformed() {
        #expect(throws: WorksheetXML.ReadError.self) { try WorksheetXML.rows(Data("<worksheet><row>".utf8), sharedStrings: []) }
        let sheet = Data(#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData></worksheet>"#.utf8)
        let error = #expect(throws: WorksheetXML.ReadError.self) { try WorksheetXML.rows(sheet, sharedStrings: []) }
        #expect(error?.description == "第 1 行引用了不存在的共享字符串")
    }

    @Test("部分载入的名单保留整个名单的条数")
    func matchingSubset() {
        let entry = CreditBlacklist.Entry(creditCode: "914403001922038216", source: "信用中国（山西）失信黑名单")
        let list = CreditBlacklist(matching: [entry], listSize: 250)
        #expect(list.count == 250)
        #expect(list.entry(for: entry.creditCode) == entry)
        #expect(CreditBlacklist(matching: [], listSize: 0).count == 0)
    }
}
