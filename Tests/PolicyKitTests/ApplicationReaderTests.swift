import Foundation
import Testing
@testable import PolicyKit

@Suite("申报文件读取：输入有误时指明字段")
struct ApplicationReaderTests {
    func problems(_ json: String) -> [InputProblem] {
        do {
            _ = try ApplicationReader.read(Data(json.utf8), round: Package.round)
            return []
        } catch {
            return error.problems
        }
    }

    func problems(editing example: String, _ change: (inout [String: Any]) -> Void) throws -> [InputProblem] {
        var object = try JSONSerialization.jsonObject(with: Package.exampleData(example)) as! [String: Any]
        change(&object)
        return problems(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    @Test("财务状况“包括但不限于”：另列的指标读入；有数值没有名称、数值有误时指明位置")
    func otherFinances() throws {
        func edit(_ rows: [[String: Any]]) -> (inout [String: Any]) -> Void {
            { object in
                var overview = object["overview"] as! [String: Any]
                overview["otherFinances"] = rows
                object["overview"] = overview
            }
        }
        var object = try JSONSerialization.jsonObject(with: Package.exampleData("rd-expense.eligible.json")) as! [String: Any]
        edit([["label": "研发投入（万元）", "2021": "3200", "2022": 4100], ["label": "  "]])(&object)
        let application = try ApplicationReader.read(try JSONSerialization.data(withJSONObject: object), round: Package.round)
        #expect(application.overview.otherFinances == [.init(label: "研发投入（万元）", values: ["2021": 3200, "2022": 4100])])
        let found = try problems(editing: "rd-expense.eligible.json", edit([["2022": "12"], ["label": "出口额（万元）", "2022": "一千"], ["label": "x", "2024": "1"]]))
        #expect(found.contains { $0.path == "overview.otherFinances[0].label" && $0.message == "请填写财务指标名称（含单位）" })
        #expect(found.contains { $0.path == "overview.otherFinances[1].2022" })
        #expect(found.contains { $0.path == "overview.otherFinances[2].2024" })
        #expect(found.count == 3, "\(found)")
    }

    @Test("不是 JSON")
    func notJSON() {
        let found = problems("{ \"direction\": ")
        #expect(found.count == 1)
        #expect(found[0].message.hasPrefix("不是有效的 JSON 文件"))
    }

    @Test("未知方向列出可选项")
    func unknownDirection() {
        let found = problems(#"{"round": "shanxi-2023", "direction": "tax-rebate"}"#)
        #expect(found.map(\.path) == ["direction"])
        #expect(found[0].message.contains("“tax-rebate”不是本批次的申报方向"))
        #expect(found[0].message.contains("rd-expense（研发费用奖励）"))
    }

    @Test("新型工业化载体须选细分方向")
    func subDirectionRequired() {
        let found = problems(#"{"round": "shanxi-2023", "direction": "industrial-carrier"}"#)
        #expect(found.map(\.path) == ["subDirection"])
        #expect(found[0].message.contains("green-park（国家级绿色园区）"))
    }

    @Test("其他批次的文件被拒绝")
    func otherRound() {
        let found = problems(#"{"round": "shanxi-2022", "direction": "rd-expense"}"#)
        #expect(found.map(\.path) == ["round"])
    }

    @Test("专项与方向不符")
    func programmeMismatch() {
        let found = problems(#"{"round": "shanxi-2023", "programme": "digital", "direction": "rd-expense"}"#)
        #expect(found.map(\.path) == ["programme"])
        #expect(found[0].message.contains("属于“技术创新牵引专项”"))
    }

    @Test("字段类型、词表、格式错误全部报出，带路径")
    func manyProblems() throws {
        let found = try problems(editing: "revenue-increase.eligible.json") { object in
            var enterprise = object["enterprise"] as! [String: Any]
            enterprise["creditCode"] = "91140100MA0K3L7P1X"
            enterprise["county"] = "140212"
            enterprise["ownership"] = "外资企业"
            enterprise["industry"] = "新材料"
            enterprise["independentLegalPerson"] = "是"
            object["enterprise"] = enterprise
            object["contact"] = ["name": "王明", "mobile": "0351-1234567"]
            var overview = object["overview"] as! [String: Any]
            var finances = overview["finances"] as! [String: Any]
            var year = finances["2022"] as! [String: Any]
            year["operatingRevenue"] = "13.5亿"
            year["taxesPaid"] = -5
            finances["2022"] = year
            overview["finances"] = finances
            object["overview"] = overview
            object["content"] = ["chainRevenueRewardSameYear": "否", "revenueDetails": "x"]
            object["attachments"] = [["item": "tax-return", "file": "a.pdf"]]
        }
        let paths = Set(found.map(\.path))
        #expect(paths == [
            "enterprise.creditCode", "enterprise.county", "enterprise.ownership", "enterprise.industry",
            "enterprise.independentLegalPerson", "contact.mobile", "overview.finances.2022.operatingRevenue",
            "overview.finances.2022.taxesPaid", "content.chainRevenueRewardSameYear", "content.revenueDetails",
            "attachments[0].item",
        ])
        let messages = Dictionary(found.map { ($0.path, $0.message) }, uniquingKeysWith: { a, _ in a })
        #expect(messages["enterprise.county"] == "新荣区（140212）属于大同市，不属于太原市")
        #expect(messages["enterprise.industry"] == "所属行业“新材料”属于战略性新兴产业，与行业分类“传统优势产业”不符")
        #expect(messages["overview.finances.2022.operatingRevenue"] == "“13.5亿”不是有效的金额（万元），应只含数字和小数点，例如 12345.67")
        #expect(messages["overview.finances.2022.taxesPaid"] == "金额不能为负数")
        #expect(messages["content.chainRevenueRewardSameYear"] == "应为 true（是）或 false（否），实为文本")
        #expect(messages["content.revenueDetails"]?.hasPrefix("“营收增量奖励”没有此字段") == true)
        #expect(found.allSatisfy { !$0.message.isEmpty && $0.message.unicodeScalars.contains { $0.value >= 0x4E00 } })
    }

    @Test("表格行、日期、年份、百分比")
    func tableCells() throws {
        let found = try problems(editing: "whitelist-2022-h2-tier-2.eligible.json") { object in
            var content = object["content"] as! [String: Any]
            var rows = content["monthlyOutput"] as! [[String: Any]]
            rows[2]["currentOutput"] = "6300.123456"
            rows[3]["priorOutput"] = true
            content["monthlyOutput"] = rows
            content["listedOn"] = "2022/08/15"
            content["period"] = "2022年下半年"
            object["content"] = content
        }
        let messages = Dictionary(found.map { ($0.path, $0.message) }, uniquingKeysWith: { a, _ in a })
        #expect(messages["content.monthlyOutput[2].currentOutput"] == "金额以万元为单位，最多保留 4 位小数（精确到元）")
        #expect(messages["content.monthlyOutput[3].priorOutput"] == "应为金额（万元），实为布尔值")
        #expect(messages["content.listedOn"] == "“2022/08/15”不是有效日期，应写作 2022-12-31")
        #expect(messages["content.period"] == "“2022年下半年”不在可选范围内；可选：2022年6至12月、2023年1至3月")
        let years = try problems(editing: "rd-expense.eligible.json") { object in
            object["content"] = ["deductibleRD2022": 2500.5, "techCenterLevel": "省级", "techCenterDocument": 7]
        }
        #expect(years.map(\.path) == ["content.techCenterDocument"])
        let year = try problems(editing: "innovation-center.eligible.json") { object in
            var content = object["content"] as! [String: Any]
            content["approvalYear"] = 2022.5
            object["content"] = content
        }
        #expect(year.first?.message == "应为年份（四位数字，例如 2022）")
    }

    @Test("金额精确：JSON 数字与字符串同值，不经浮点")
    func exactAmounts() throws {
        let json = #"{"round":"shanxi-2023","direction":"rd-expense","content":{"deductibleRD2022":1999.99}}"#
        let application = try ApplicationReader.read(Data(json.utf8), round: Package.round)
        #expect(application.content["deductibleRD2022"] == .number(decimal("1999.99")))
        let text = #"{"round":"shanxi-2023","direction":"rd-expense","content":{"deductibleRD2022":"0.1"}}"#
        let fromText = try ApplicationReader.read(Data(text.utf8), round: Package.round)
        let tenth = try #require(fromText.content["deductibleRD2022"]?.number)
        #expect(tenth + tenth + tenth == decimal("0.3"))
        let tooPrecise = #"{"round":"shanxi-2023","direction":"rd-expense","content":{"deductibleRD2022":2000.00001}}"#
        #expect(throws: InputProblems.self) { try ApplicationReader.read(Data(tooPrecise.utf8), round: Package.round) }
    }

    @Test("空字符串视为未填写，不报错")
    func blanksAreMissing() throws {
        let json = #"{"round":"shanxi-2023","direction":"rd-expense","projectName":"  ","enterprise":{"name":""},"content":{"deductibleRD2022":""}}"#
        let application = try ApplicationReader.read(Data(json.utf8), round: Package.round)
        #expect(application.projectName == nil)
        #expect(application.enterprise.name == nil)
        #expect(Package.evaluate(application).status == .incomplete)
    }

    @Test("读出的申报可按原格式写回并再次读入")
    func roundTrip() throws {
        for name in ["whitelist-2022-h2-tier-2.eligible.json", "generic-drug.eligible.json", "industrial-carrier-green-park.eligible.json"] {
            let application = try Package.example(name)
            let encoded = try JSONEncoder().encode(application)
            #expect(try ApplicationReader.read(encoded, round: Package.round) == application)
        }
    }
}

@Suite("失信名单导入")
struct CreditBlacklistTests {
    @Test("逐行报告所有错误行")
    func reportsEveryBadLine() {
        let csv = """
        统一社会信用代码,企业名称,名单来源
        914403001922038216,华为技术有限公司,国家企业信用信息公示系统严重违法失信企业名单
        91330100716105852X,有误企业,信用中国（山西）失信黑名单
        ,缺代码企业,
        "9144030071526726XG","腾讯科技（深圳）有限公司, 分号",
        914403001922038216,重复,
        """
        let (list, problems) = CreditBlacklist.parseCSV(csv)
        #expect(list.count == 2)
        #expect(list.entry(for: "9144030071526726XG")?.name == "腾讯科技（深圳）有限公司, 分号")
        #expect(list.entry(for: "9144030071526726XG")?.source == CreditBlacklist.defaultSource)
        #expect(problems.map(\.line) == [3, 4, 6])
        #expect(problems[0].description.hasPrefix("第 3 行：统一社会信用代码校验位错误"))
        #expect(problems[1].message == "缺少统一社会信用代码")
        #expect(problems[2].message == "统一社会信用代码 914403001922038216 与第 2 行重复")
    }

    @Test("表头缺少代码列")
    func missingHeader() {
        let (list, problems) = CreditBlacklist.parseCSV("企业名称\n华为\n")
        #expect(list.count == 0)
        #expect(problems == [CreditBlacklist.LineProblem(line: 1, message: "表头缺少“统一社会信用代码”列")])
    }
}
