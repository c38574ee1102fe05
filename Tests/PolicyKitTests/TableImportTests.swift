import Foundation
import Testing
@testable import PolicyKit

/// 智能制造诊断's 200 enterprises filled from a sheet instead of 600 typed cells.
@Suite("表格导入：xlsx、CSV、从 Excel 粘贴")
struct TableImportTests {
    static var field: FieldSpec {
        Package.round.directionSpec("smart-manufacturing-diagnosis", subDirection: nil)!.fields.first { $0.id == "diagnosedEnterprises" }!
    }

    /// `count` distinct enterprises with valid credit codes, as an Excel sheet would hold them.
    static func enterprises(_ count: Int, aboveScale: (Int) -> String = { _ in "是" }) -> [[String]] {
        (1...count).map { index in
            let code = CreditCode.withCheckCharacter("91140100" + CreditCode.organisationCode(body: String(format: "MA%06d", index)))
            return ["山西示例诊断企业\(index)有限公司", code, "山西智能制造服务有限公司", aboveScale(index)]
        }
    }

    static func tabSeparated(_ rows: [[String]]) -> String {
        rows.map { $0.joined(separator: "\t") }.joined(separator: "\r\n") + "\r\n"
    }

    @Test("从 Excel 粘贴 200 行（含表头和序号列）：全部读入，规上一列计数")
    func pasteWithHeader() throws {
        let header = ["序号", "企业名称", "统一社会信用代码", "诊断服务机构", "是否规上工业企业"]
        let rows = Self.enterprises(200).enumerated().map { [String($0.offset + 1)] + $0.element }
        let imported = TableImport.read(TableImport.pastedRows(Self.tabSeparated([header] + rows)), into: Self.field, round: Package.round)
        #expect(imported.problems.isEmpty, "\(imported.problems)")
        #expect(imported.rows.count == 200)
        #expect(imported.rows[0]["enterprise"] == .text("山西示例诊断企业1有限公司"))
        #expect(imported.rows[199]["aboveScale"] == .bool(true))

        var application = try Package.example("smart-manufacturing-diagnosis.eligible.json")
        application.content["diagnosedEnterprises"] = .rows(imported.rows)
        #expect(Package.evaluate(application).status == .eligible)
        let oneBelow = Self.enterprises(200) { $0 == 7 ? "否" : "是" }
        application.content["diagnosedEnterprises"] = .rows(TableImport.read(TableImport.pastedRows(Self.tabSeparated(oneBelow)), into: Self.field, round: Package.round).rows)
        let verdict = Package.evaluate(application)
        #expect(verdict.status == .ineligible)
        #expect(verdict.result("diagnosis.enterprise-count")?.message.hasPrefix("参加智能制造诊断服务活动的规上工业企业共 199 户，少于 200 户") == true)
    }

    @Test("没有表头时按列的顺序；多出的列指明")
    func positional() {
        let rows = Self.enterprises(2)
        let imported = TableImport.read(TableImport.pastedRows(Self.tabSeparated(rows)), into: Self.field, round: Package.round)
        #expect(imported.rows.count == 2)
        let extra = TableImport.read(TableImport.pastedRows(Self.tabSeparated([rows[0] + ["多余"]])), into: Self.field, round: Package.round)
        #expect(extra.rows.isEmpty)
        #expect(extra.problems.first?.message.contains("第 5 列“多余”多出本表的 4 列") == true)
    }

    @Test("有误的行逐行指出，一行都不导入")
    func badRows() {
        var rows = Self.enterprises(5)
        rows[1][1] = "91140100MA0K3L7P8X"
        rows[2][1] = rows[0][1]
        rows[3][0] = ""
        rows[4][3] = "可能"
        let imported = TableImport.read(TableImport.pastedRows(Self.tabSeparated([["企业名称", "统一社会信用代码", "诊断服务机构", "是否规上工业企业"]] + rows)),
                                        into: Self.field, round: Package.round)
        #expect(imported.rows.isEmpty)
        #expect(imported.problems.map(\.line) == [3, 4, 5, 6])
        #expect(imported.problems[0].message.hasPrefix("统一社会信用代码："))
        #expect(imported.problems[1].message == "统一社会信用代码 \(rows[0][1]) 与第 2 行重复")
        #expect(imported.problems[2].message == "缺少企业名称")
        #expect(imported.problems[3].message == "是否规上工业企业应填“是”或“否”，实为“可能”")
        #expect(imported.problems[1].description == "第 4 行：统一社会信用代码 \(rows[0][1]) 与第 2 行重复")
    }

    @Test("表头缺少必需的列；只有表头")
    func headers() {
        let missing = TableImport.read([(1, ["企业名称", "诊断服务机构"]), (2, ["甲", "乙"])], into: Self.field, round: Package.round)
        #expect(missing.problems.first?.message.hasPrefix("表头缺少：统一社会信用代码、是否规上工业企业") == true)
        let onlyHeader = TableImport.read([(1, ["企业名称", "统一社会信用代码", "诊断服务机构", "是否规上工业企业"])], into: Self.field, round: Package.round)
        #expect(onlyHeader.problems.first?.message == "只有表头，没有可导入的行")
    }

    @Test("CSV：引号中的逗号、换行和引号，BOM，行号按文件")
    func csv() {
        let rows = TableImport.csvRows("\u{FEFF}a,b\r\n\"x, y\",\"第一行\n第二行\"\n\"他说\"\"好\"\"\",z\n")
        #expect(rows.map(\.line) == [1, 2, 4])
        #expect(rows[1].cells == ["x, y", "第一行\n第二行"])
        #expect(rows[2].cells == ["他说\"好\"", "z"])
    }
}
